// Types of app/vendor/survey-react-ui.js, which scripts/trim-survey-icons.mjs makes from survey-react-ui.
export * from "survey-react-ui";
