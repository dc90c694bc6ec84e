/**
 * Traffic tips for the police (issue 17, item 7; decision 029): the trafiktips answers from every
 * channel, by place (spellings grouped by app/walks/place-name.ts) and problem, with the times of
 * day and day types named; CSV for Swedish Excel at /personal/tips.csv. Admins see every tip; a
 * facilitator those of their own sessions and those given outside any session.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";
import { getDb } from "~/db/db.server";
import { useFormat } from "~/i18n/format";
import { translatorFor } from "~/i18n/i18n.server";
import { areaNames } from "~/models/results-view.server";
import { listTrafficTips, TIPS_SERIES } from "~/models/traffic-tips.server";
import { tipLabels } from "~/walks/tips-csv.server";
import { aggregateTips } from "~/walks/tips";
import { requireRole } from "~/utils/session.server";

export const links = () => [{ rel: "stylesheet", href: "/styles/walks.css" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : []);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["facilitator"]);
  const { language, t } = await translatorFor(request);
  const url = new URL(request.url);
  const areas = areaNames(TIPS_SERIES, language);
  const areaText = url.searchParams.get("omrade") ?? "";
  const area = areas.some((a) => a.code === areaText) ? areaText : null;
  const groups = aggregateTips(await listTrafficTips({ db: getDb(), viewer: user, area }));
  const labels = tipLabels(language, t("walk.tips.unanswered"));
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  return {
    title: t("layout.titleSuffix", { title: t("walk.tips.title") }),
    areas,
    area,
    labels,
    total: groups.length,
    groups: groups.map((g) => ({ ...g, areaNames: g.areas.map(areaName) })),
    csvHref: `/personal/tips.csv${area ? `?${new URLSearchParams({ omrade: area })}` : ""}`,
  };
}

function Counts({ counts, labels }: { counts: Record<string, number>; labels: Record<string, string> }) {
  const format = useFormat();
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return <>{entries.map(([code, n]) => `${labels[code] ?? code} ${format.number(n)}`).join(", ")}</>;
}

export default function TrafficTips() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <h1>{t("walk.tips.heading")}</h1>
      <p>{t("walk.tips.intro")}</p>
      <Form method="get" className="filter-form">
        <label>
          {t("walk.tips.area")}{" "}
          <select name="omrade" defaultValue={data.area ?? ""}>
            <option value="">{t("walk.tips.allAreas")}</option>
            {data.areas.map((a) => (
              <option key={a.code} value={a.code}>{a.name}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary-button">{t("walk.tips.filter")}</button>
      </Form>
      {data.groups.length === 0 ? (
        <p>{t("walk.tips.noTips")}</p>
      ) : (
        <>
          <p>
            <a href={data.csvHref} download>{t("walk.tips.csv")}</a>
          </p>
          <table>
            <caption>{t("walk.tips.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("walk.tips.place")}</th>
                <th scope="col">{t("walk.tips.problem")}</th>
                <th scope="col" className="num">{t("walk.tips.tips")}</th>
                <th scope="col">{t("walk.tips.timeOfDay")}</th>
                <th scope="col">{t("walk.tips.dayType")}</th>
              </tr>
            </thead>
            <tbody>
              {data.groups.map((g) => (
                <tr key={`${g.key}-${g.problem}`}>
                  <th scope="row">
                    {g.place}
                    {g.spellings.length > 1 ? (
                      <>
                        <br />
                        <span className="muted">{t("walk.tips.spellings")}: {g.spellings.join(", ")}</span>
                      </>
                    ) : null}
                    {g.areaNames.length > 0 ? (
                      <>
                        <br />
                        <span className="muted">{g.areaNames.join(", ")}</span>
                      </>
                    ) : null}
                  </th>
                  <td>{data.labels.problem[g.problem] ?? g.problem}</td>
                  <td className="num">{format.number(g.tips)}</td>
                  <td><Counts counts={g.timeOfDay} labels={data.labels.timeOfDay} /></td>
                  <td><Counts counts={g.dayType} labels={data.labels.dayType} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p>
        <Link to="/personal">{t("walk.tips.back")}</Link>
      </p>
    </>
  );
}
