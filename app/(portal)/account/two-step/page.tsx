import type { Metadata } from "next";
import QRCode from "qrcode";
import { mfaStatus, totpSetup } from "@/lib/auth/mfa/second-factor";
import { requireActorForMfaSetup } from "@/lib/auth/session";
import { ConfirmSetupForm, NewAuthenticatorForm, TurnOffForm } from "./two-step-forms";

export const metadata: Metadata = { title: "Two-step sign-in" };

/**
 * Two-step sign-in (TOTP): set-up with a QR code drawn here on the server (no image service sees
 * the secret), confirmation with a first code, then the recovery codes once. A clinician, admin
 * or privacy officer without an authenticator is sent here and nowhere else until it is set up.
 */
export default async function TwoStepPage() {
  const actor = await requireActorForMfaSetup();
  const status = await mfaStatus(actor);
  const setup = !status.enrolled || status.settingUp ? await totpSetup(actor) : null;
  const qrCode = setup ? await QRCode.toString(setup.uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" }) : null;
  return (
    <div className="stack">
      <h1>Two-step sign-in</h1>
      {!status.enrolled && status.required ? (
        <p className="notice" role="status">
          Your role signs in with a password and a code from an authenticator app. Set one up now to continue: Lantern opens nothing else until it is done.
        </p>
      ) : null}
      {status.enrolled ? (
        <section className="panel stack" aria-labelledby="current-heading">
          <h2 id="current-heading">Your authenticator</h2>
          <p>
            Two-step sign-in is on. You have {status.recoveryCodesLeft} unused recovery code{status.recoveryCodesLeft === 1 ? "" : "s"}.
          </p>
        </section>
      ) : !status.required ? (
        <p>Two-step sign-in is off. Turn it on so that your password alone cannot open your account: you will also type a code from an app on your phone.</p>
      ) : null}
      {setup && qrCode ? (
        <section className="panel stack" aria-labelledby="setup-heading">
          <h2 id="setup-heading">{status.enrolled ? "Set up your new authenticator" : "Set up your authenticator app"}</h2>
          <ol>
            <li>Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator, Aegis or 1Password) and add an account.</li>
            <li>Scan this QR code, or type the key below.</li>
            <li>Type the 6-digit code the app then shows.</li>
          </ol>
          {/* Drawn by the qrcode package from our own otpauth URI: no user input reaches this markup. */}
          <div className="qr-code" role="img" aria-label="QR code to scan with your authenticator app" dangerouslySetInnerHTML={{ __html: qrCode }} />
          <p>
            Key: <code className="secret">{setup.secret.replace(/(.{4})/g, "$1 ").trim()}</code>
          </p>
          <ConfirmSetupForm />
        </section>
      ) : null}
      {status.enrolled && !status.settingUp ? (
        <section className="panel stack" aria-labelledby="change-heading">
          <h2 id="change-heading">Move to another phone</h2>
          <p>Confirm it is you with your password and a current code (or a recovery code); then scan a new QR code. New recovery codes replace the old ones.</p>
          <NewAuthenticatorForm />
        </section>
      ) : null}
      {status.enrolled && !status.required ? (
        <section className="panel stack" aria-labelledby="off-heading">
          <h2 id="off-heading">Turn off two-step sign-in</h2>
          <TurnOffForm />
        </section>
      ) : null}
    </div>
  );
}
