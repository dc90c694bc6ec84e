/**
 * The browser's outbox sends exactly the submission contract the server checks
 * (app/surveys/submission.ts): its own bookkeeping (queuedAt) never goes over the wire.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseSubmission } from "~/surveys/submission";
import { submissionOf, type OutboxItem } from "~/utils/outbox";
import { validAnswers } from "../helpers/answers";

describe("outbox request body", () => {
  it("is a Submission the server's parser accepts unchanged", () => {
    const item: OutboxItem = { survey: "trygghetsmatning-2025", clientId: randomUUID(), answers: validAnswers(), channel: "tablet", queuedAt: new Date().toISOString() };
    const body = JSON.parse(JSON.stringify(submissionOf(item)));
    expect(Object.keys(body).sort()).toEqual(["answers", "channel", "clientId", "language", "sessionId", "survey"]);
    const parsed = parseSubmission(body);
    expect(parsed).toEqual({ ok: true, value: { survey: item.survey, clientId: item.clientId, answers: item.answers, channel: "tablet", sessionId: null, language: null } });
    // The item itself is not a valid body: the server refuses fields it does not know.
    expect(parseSubmission(item)).toMatchObject({ ok: false, fields: { queuedAt: ["Unknown field"] } });
  });
});
