/**
 * The follow-up of one promise as tables, for the staff page and the public report alike: its
 * activities by kind and month against any target, its counts, and its indicators' figures this
 * survey year and the one before with the dashboard's own change wording (useFigures). The
 * public report passes `publicView`: no place names, no walk proposals, no assessment text.
 */
import type { SerializeFrom } from "@remix-run/node";
import { useTranslation } from "~/i18n/react";
import { DataTable } from "~/components/results/data-table";
import { changeClass, useFigures } from "~/components/results/figures";
import type { FollowUp, PromiseFollowUp } from "~/models/promise-follow-up.server";

type Fu = SerializeFrom<FollowUp>;
type Pfu = SerializeFrom<PromiseFollowUp>;

/** A measure's name in the page language: the dashboard's names, or the promises' own for newer measures. */
export function useMeasureName() {
  const { t, i18n } = useTranslation();
  return (key: string) => (i18n.exists(`results.measure.${key}`) ? t(`results.measure.${key}`) : t(`promises.measure.${key}`, { defaultValue: key }));
}

export function useGroupName() {
  const { t } = useTranslation();
  return (groupBy: string | null, value: string | null, areaName: (code: string) => string) => {
    if (!groupBy || !value) return t("promises.group.everyone");
    if (groupBy === "area") return areaName(value);
    if (groupBy === "gender") return t(`results.gender.${value}`, { defaultValue: value });
    return t("promises.group.age", { range: value.replace("-", "–") });
  };
}

const MONTHS = Array.from({ length: 12 }, (_, i) => i);

export function PromiseFollowUpTables({
  fu,
  p,
  areaName,
  publicView,
  idPrefix,
}: {
  fu: Fu;
  p: Pfu;
  areaName: (code: string) => string;
  publicView: boolean;
  idPrefix: string;
}) {
  const f = useFigures();
  const { t, format } = f;
  const measureName = useMeasureName();
  const groupName = useGroupName();
  const monthName = (m: number) => new Intl.DateTimeFormat(format.language, { month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2025, m, 1)));
  return (
    <>
      {p.activities.length > 0 ? (
        <DataTable
          id={`${idPrefix}-activities`}
          caption={t("promises.followUp.activitiesCaption", { year: fu.year })}
          columns={[
            { label: t("promises.col.kind") },
            ...MONTHS.map((m) => ({ label: monthName(m), numeric: true })),
            { label: t("promises.col.total"), numeric: true },
            { label: t("promises.col.target"), numeric: true },
          ]}
          rows={p.activities.map((a) => [
            { text: t(`promises.kind.${a.kind}`), header: true },
            ...a.months.map((n) => ({ text: format.number(n), numeric: true })),
            { text: format.number(a.total), numeric: true },
            { text: a.target === null ? t("promises.noTarget") : format.number(a.target), numeric: true },
          ])}
          filename={`medborgarloften-${fu.year}-${p.promise.position + 1}-aktiviteter.csv`}
        />
      ) : null}
      {p.counts.filter((c) => c.indicator.kind !== "activities").length > 0 ? (
        <ul className="promise-counts">
          {p.counts
            .filter((c) => c.indicator.kind !== "activities")
            .map((c) => (
              <li key={c.indicator.id}>
                {t(`promises.count.${c.indicator.kind}`, { n: format.number(c.value) })}
                {c.target !== null ? ` ${t("promises.ofTarget", { target: format.number(c.target) })}` : ""}
              </li>
            ))}
        </ul>
      ) : null}
      {p.measures.length > 0 ? (
        fu.surveyYear === null ? (
          <p>{t("promises.followUp.noSurvey")}</p>
        ) : (
          <DataTable
            id={`${idPrefix}-figures`}
            caption={t("promises.followUp.figuresCaption", { year: fu.surveyYear })}
            columns={[
              { label: t("promises.col.indicator") },
              { label: t("promises.col.group") },
              { label: String(fu.surveyYear), numeric: true },
              { label: fu.previousYear === null ? "–" : String(fu.previousYear), numeric: true },
              { label: t("results.col.change") },
            ]}
            rows={p.measures.map((m) => [
              { text: measureName(m.indicator.measureKey ?? ""), header: true },
              { text: groupName(m.indicator.groupBy, m.indicator.groupValue, areaName) },
              m.current
                ? { text: f.value(m.current), csv: f.valueCsv(m.current), numeric: true, figure: `${m.current.key}|${m.current.group}` }
                : { text: f.tooFew, numeric: true },
              m.previous ? { text: f.value(m.previous), csv: f.valueCsv(m.previous), numeric: true } : { text: "–", numeric: true },
              m.current ? { text: f.change(m.current.change), className: changeClass(m.current.change) } : { text: "" },
            ])}
            filename={`medborgarloften-${fu.year}-${p.promise.position + 1}-indikatorer.csv`}
          />
        )
      ) : null}
      {p.walkActions ? (
        publicView ? (
          <p>
            {t("promises.walkActions.summary", {
              total: format.number(p.walkActions.length),
              done: format.number(p.walkActions.filter((a) => a.status === "atgardad" || a.status === "avslutad").length),
            })}
          </p>
        ) : (
          <DataTable
            id={`${idPrefix}-walk-actions`}
            caption={t("promises.walkActions.caption", { year: fu.year })}
            columns={[{ label: t("promises.col.date") }, { label: t("promises.col.place") }, { label: t("promises.col.area") }, { label: t("promises.col.proposal") }, { label: t("promises.col.status") }]}
            rows={p.walkActions.map((a) => [
              { text: format.date(a.heldOn) },
              { text: a.place },
              { text: areaName(a.area) },
              { text: a.proposal },
              { text: t(`promises.walkStatus.${a.status}`) },
            ])}
            filename={`medborgarloften-${fu.year}-atgarder.csv`}
          />
        )
      ) : null}
    </>
  );
}
