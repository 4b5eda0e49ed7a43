export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabaseOrExit } = await import("./db/start-up");
  await prepareDatabaseOrExit();
}
