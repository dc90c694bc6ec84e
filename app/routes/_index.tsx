import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db/db.server";
import { listOpenEditions } from "~/models/survey.server";
import { localeFromRequest, t } from "~/utils/i18n";
import { useLocale } from "~/root";

export const meta: MetaFunction = () => [
  { title: "Trygghetsdialog – enkäter om trygghet" },
  { name: "description", content: "Svara på kommunens och polisens trygghetsmätning." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request);
  const editions = await listOpenEditions({ db: getDb() });
  return {
    surveys: editions
      .filter((e) => e.kind === "survey" || e.kind === "tips")
      .map((e) => ({
      id: e.id,
      year: e.year,
      kind: e.kind,
      title: locale === "en" ? e.title_en : e.title_sv,
      closesOn: e.closes_on,
    })),
  };
}

export default function Index() {
  const { surveys } = useLoaderData<typeof loader>();
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Tyck till om tryggheten där du bor", en: "Tell us how safe you feel where you live" })}</h1>
      <p className="lead">
        {t(locale, {
          sv: "Polisen och kommunen använder svaren för att bestämma årets medborgarlöften: vad vi ska göra för att det ska bli tryggare. Du svarar anonymt.",
          en: "The police and the municipality use the answers to decide this year's citizen promises: what we will do to make your area safer. You answer anonymously.",
        })}
      </p>
      <h2>{t(locale, { sv: "Öppna enkäter", en: "Open surveys" })}</h2>
      {surveys.length === 0 ? (
        <p>{t(locale, { sv: "Just nu finns ingen öppen enkät.", en: "There is no open survey right now." })}</p>
      ) : (
        <ul className="card-list">
          {surveys.map((s) => (
            <li key={s.id} className="card">
              <h3>
                <Link to={`/enkat/${s.id}`}>
                  {s.title} {s.year}
                </Link>
              </h3>
              {s.closesOn ? (
                <p>
                  {t(locale, { sv: "Öppen till och med", en: "Open until" })} <time dateTime={s.closesOn}>{s.closesOn}</time>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
