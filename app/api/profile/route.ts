import { patchProfile } from "@/features/accounts/api";

export const dynamic = "force-dynamic";
export const PATCH = patchProfile;
