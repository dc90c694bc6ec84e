import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useLocale } from "~/root";
import { t } from "~/utils/i18n";

export const meta: MetaFunction = () => [{ title: "Tack för ditt svar – Trygghetsdialog" }];

export default function ThankYou() {
  const locale = useLocale();
  return (
    <>
      <h1>{t(locale, { sv: "Tack för ditt svar!", en: "Thank you for your answer!" })}</h1>
      <p className="lead" role="status">
        {t(locale, {
          sv: "Ditt svar är mottaget. Polisen och kommunen använder svaren för att besluta om nästa års medborgarlöften, och resultaten redovisas per område.",
          en: "Your answer has been received. The police and the municipality use the answers to decide next year's citizen promises, and the results are reported by area.",
        })}
      </p>
      <p>
        <Link to="/">{t(locale, { sv: "Till startsidan", en: "To the start page" })}</Link>
      </p>
    </>
  );
}
