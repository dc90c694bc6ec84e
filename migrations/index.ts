// The list of migrations, imported statically so that the server bundle carries them.
// Names sort in the order they run; add new ones at the end.
import type { Migration } from "kysely";
import * as createCoreTables from "./20261125_1600_create_core_tables";
import * as addAnswersDeleted from "./20261125_1700_add_answers_deleted";
import * as dropResponseValueEditionIndex from "./20261125_1710_drop_response_value_edition_index";
import * as scoresOnResponse from "./20261125_1720_scores_on_response";
import * as addResponseLanguage from "./20261203_1000_add_response_language";
import * as hardenStaffSignIn from "./20261203_1100_harden_staff_sign_in";
import * as createOidcIdentity from "./20261203_1200_create_oidc_identity";
import * as createAuditEvent from "./20261203_1201_create_audit_event";
import * as createDialogues from "./20261203_1300_create_dialogues";
import * as addWalkActionVersion from "./20261203_1320_add_walk_action_version";
import * as createPromises from "./20261203_1400_create_promises";
import * as createInvitations from "./20261203_1500_create_invitations";

export const migrations: Record<string, Migration> = {
  "20261125_1600_create_core_tables": createCoreTables,
  "20261125_1700_add_answers_deleted": addAnswersDeleted,
  "20261125_1710_drop_response_value_edition_index": dropResponseValueEditionIndex,
  "20261125_1720_scores_on_response": scoresOnResponse,
  "20261203_1000_add_response_language": addResponseLanguage,
  "20261203_1100_harden_staff_sign_in": hardenStaffSignIn,
  "20261203_1200_create_oidc_identity": createOidcIdentity,
  "20261203_1201_create_audit_event": createAuditEvent,
  "20261203_1300_create_dialogues": createDialogues,
  "20261203_1320_add_walk_action_version": addWalkActionVersion,
  "20261203_1400_create_promises": createPromises,
  "20261203_1500_create_invitations": createInvitations,
};
