import { signUp } from "@/features/accounts/api";

export const dynamic = "force-dynamic";
export const POST = signUp;
