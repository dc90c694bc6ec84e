// survey-core's locale packs (survey-core/i18n/<language>) ship without type declarations; they
// are imported for their side effect (each registers itself with setupLocale).
declare module "survey-core/i18n/*";
