import { authRoutes } from "@/lib/auth/routes";

export const { GET, POST } = authRoutes;
