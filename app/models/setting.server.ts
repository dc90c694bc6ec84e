/**
 * Site-wide settings kept in the database (app_setting), so that every server process sees the
 * same: whether a second factor is required, and the key that signs the sign-in form's token.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "~/db/db.server";

export async function getSetting({ db, key }: { db: Db; key: string }): Promise<string | undefined> {
  const row = await db.selectFrom("app_setting").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function setSetting({ db, key, value }: { db: Db; key: string; value: string }): Promise<void> {
  await db
    .insertInto("app_setting")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** Whether an admin has required a second factor (TOTP) for every password account. */
export async function isSecondFactorRequired({ db }: { db: Db }): Promise<boolean> {
  return (await getSetting({ db, key: "require_totp" })) === "on";
}

export async function setSecondFactorRequired({ db, required }: { db: Db; required: boolean }): Promise<void> {
  await setSetting({ db, key: "require_totp", value: required ? "on" : "off" });
}

let cachedKey: Buffer | undefined;

/**
 * 32 random bytes made at first use and kept in the database: the HMAC key of the sign-in form's
 * token. The first process to need it writes it; a process racing it reads the winner's.
 */
export async function getSigningKey({ db }: { db: Db }): Promise<Buffer> {
  if (cachedKey) return cachedKey;
  await db
    .insertInto("app_setting")
    .values({ key: "signing_key", value: randomBytes(32).toString("base64") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const value = await getSetting({ db, key: "signing_key" });
  if (!value) throw new Error("No signing key in app_setting");
  cachedKey = Buffer.from(value, "base64");
  return cachedKey;
}
