import { deleteMyAccount } from "@/features/account-data/api";
import { route } from "@/lib/http/endpoint";

export const dynamic = "force-dynamic";
export const { DELETE } = route({ DELETE: deleteMyAccount });
