/**
 * Build step (package.json "build", before `remix build`): writes app/styles/survey-core.pruned.css,
 * SurveyJS's stylesheet (survey-core.fontless.min.css) without the rules that only style
 * components our questionnaires cannot show (decision 041). The survey pages import that file.
 *
 * A selector goes when it needs an element of a left-out component (a class of one of
 * UNUSED_BLOCKS, outside :not(), :is() and :where(), which can match without it); a rule goes when
 * none of its selectors is left; an at-rule goes when it is left empty; a @keyframes goes when no
 * remaining declaration names it (SurveyJS's scripts name none). Everything else stays as it is:
 * states (errors, focus, checked, disabled), popups and lists, right-to-left, progress,
 * navigation, the completed page, breakpoints. The same input gives the same bytes.
 *
 * SUPPORTED_TYPES and UNSUPPORTED_SETTINGS say what the pruned stylesheet can show; a test
 * (tests/unit/survey-css.test.ts) fails when a questionnaire in surveys/ needs more.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postcss from "postcss";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = path.join(root, "node_modules/survey-core/survey-core.fontless.min.css");
export const TARGET = path.join(root, "app/styles/survey-core.pruned.css");

/** The question types the pruned stylesheet styles (and the survey's own pages and popups). */
export const SUPPORTED_TYPES = ["dropdown", "radiogroup", "checkbox", "comment", "text", "panel"];

/**
 * Survey settings that would show a left-out component: a questionnaire setting one of these (to
 * anything but the value given, when one is) needs the block back.
 */
export const UNSUPPORTED_SETTINGS = {
  showTimer: false, // sd-timer
  showTimerPanel: "none", // sd-timer (older name)
  showTOC: false, // sv_progress-toc
  questionsOnPageMode: ["standard", "singlePage", "questionPerPage"], // inputPerPage: breadcrumbs, summary
};

/**
 * BEM blocks (the part of a class before `__` or `--`) of components none of our questionnaires
 * can render, and why. A class counts when it is the block itself or one of its elements or
 * modifiers (`sd-rating`, `sd-rating__item`, `sd-rating--small`), never by prefix alone
 * (`sd-image` does not take `sd-imagepicker` with it).
 */
export const UNUSED_BLOCKS = {
  // Question types we do not use.
  "sd-rating": "rating",
  "sd-rating-dropdown-item": "rating shown as a dropdown",
  "sd-rating-dropdown-item_description": "rating shown as a dropdown",
  "sv-star": "rating stars",
  "sv-star-2": "rating stars",
  "sd-scrollable-container": "rating, boolean and button group containers",
  "sd-file": "file upload",
  "sd-slider": "slider",
  "sd-slider-container": "slider",
  "sd-slider-labels-container": "slider",
  "sv-ranking": "ranking",
  "sv-ranking-item": "ranking",
  "sv-ranking-shortcut": "ranking (while dragged)",
  "sd-ranking": "ranking",
  "sd-ranking-item": "ranking",
  "sv-dragdrop-movedown": "ranking (reordering animation)",
  "sv-dragdrop-moveup": "ranking (reordering animation)",
  "sv-dragged-element-shortcut": "ranking (while dragged)",
  "sv-drag-drop-choices-shortcut": "choices reordered in the Creator",
  "sv-drag-drop-image-picker-shortcut": "image picker (while dragged)",
  "sd-imagepicker": "image picker",
  "sd-image": "image",
  "sd-imagemap": "image map",
  "sd-imagemap-bg": "image map",
  "sd-imagemap-svg": "image map",
  "sd-imagemap-svg-item": "image map",
  "sd-imagemap-control-point": "image map",
  "sd-signaturepad": "signature pad",
  "sjs_sp": "signature pad",
  "sjs_sp_container": "signature pad",
  "sjs_sp_controls": "signature pad",
  "sjs_sp_placeholder": "signature pad",
  "sjs_sp_canvas": "signature pad",
  "sd-paneldynamic": "dynamic panel",
  "sv-pd-animation-adding": "dynamic panel",
  "sv-pd-animation-removing": "dynamic panel",
  "sv-pd-animation-left": "dynamic panel",
  "sv-pd-animation-right": "dynamic panel",
  "sd-tab-item": "dynamic panel as tabs",
  "sd-tabs-toolbar": "dynamic panel as tabs",
  "sd-matrix": "matrix",
  "sd-matrixdynamic": "dynamic matrix",
  "sd-matrixdropdown": "matrix of dropdowns",
  "sd-table": "matrices' tables",
  "sd-table-wrapper": "matrices' tables",
  "sv-matrix-row": "matrices' rows",
  "sv-matrixdynamic": "dynamic matrix",
  "sv-matrixdynamic-dragged-row": "dynamic matrix (while dragged)",
  "sd-drag-element": "dynamic matrix's drag handle",
  "sd-multipletext": "multiple text",
  "sd-boolean": "yes/no",
  "sd-boolean-switch": "yes/no as a switch",
  "sd-tagbox": "tag box",
  "sd-tagbox-item": "tag box",
  "sv-multi-select-list": "tag box's list",
  "sv-button-group": "button group",
  "sd-expression": "expression",
  "sd-html": "HTML question (the completed page has its own sd-completedpage)",
  "sd-composite": "composite questions (none registered)",
  // Survey settings we do not use (UNSUPPORTED_SETTINGS).
  "sd-timer": "quiz timer",
  "sv_progress-toc": "table of contents",
  "sd-breadcrumbs": "one input per page",
  "sd-breadcrumbs-item": "one input per page",
  "sd-breadcrumbs-separator": "one input per page",
  "sd-summary": "one input per page",
  "sd-summary-row": "one input per page",
  "sd-summary-row-action": "one input per page",
  // Not the React form: the popup survey window, the Creator, the Vue renderer.
  "sv_window": "popup survey window",
  "sv_window_root-content": "popup survey window",
  "sv_window_header": "popup survey window",
  "sv_window_header_title_collapsed": "popup survey window",
  "sv_window_header_description": "popup survey window",
  "sv_window_content": "popup survey window",
  "sv_window_buttons_container": "popup survey window",
  "sv_window_button": "popup survey window",
  "sv-brand-info": "Creator branding",
  "sv-string-editor": "Creator's inline text editing",
  "sv-vue-title-additional-div": "Vue renderer",
};

/** Modifiers that only those components (or settings) put on a shared block. */
export const UNUSED_CLASSES = {
  "sd-question--table": "matrices",
  "sd-question--scroll": "matrices",
  "sd-question--paneldynamic": "dynamic panel",
  "sd-question--boolean": "yes/no",
  "sd-question--image": "image",
  "sd-question--signature": "signature pad",
  "sd-body--with-timer": "quiz timer",
  "sd-body__timer": "quiz timer",
};

/** The Creator's classes, whatever their block. */
const UNUSED_PREFIXES = ["svc-"];

/** The block of a class: `sd-rating__item--selected` → `sd-rating`. */
export function blockOf(className) {
  return className.split("__")[0].split("--")[0];
}

export function isUnusedClass(className) {
  return (
    Object.hasOwn(UNUSED_BLOCKS, blockOf(className)) ||
    Object.hasOwn(UNUSED_CLASSES, className) ||
    UNUSED_PREFIXES.some((p) => className.startsWith(p))
  );
}

/**
 * The classes an element must have for `selector` to match it: every class outside :not(),
 * :is(), :where() and other functional pseudo-classes, except :has() (a :has(.x) needs an x).
 * Attribute values and escapes are skipped.
 */
export function requiredClasses(selector) {
  const classes = [];
  const stack = []; // enclosing functional pseudo-classes; "(" for any other parenthesis
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === "\\") {
      i++;
    } else if (c === "[") {
      // Skip to the closing bracket, quoted values included.
      let quote = null;
      for (i++; i < selector.length; i++) {
        const d = selector[i];
        if (quote) {
          if (d === "\\") i++;
          else if (d === quote) quote = null;
        } else if (d === '"' || d === "'") quote = d;
        else if (d === "]") break;
      }
    } else if (c === ":") {
      const m = /^:{1,2}([a-zA-Z-]+)(\()?/.exec(selector.slice(i));
      if (m) {
        if (m[2]) stack.push(m[1].toLowerCase());
        i += m[0].length - 1;
      }
    } else if (c === "(") {
      stack.push("(");
    } else if (c === ")") {
      stack.pop();
    } else if (c === ".") {
      const m = /^\.(-?[_a-zA-Z][\w-]*)/.exec(selector.slice(i));
      if (m) {
        if (stack.every((f) => f === "has")) classes.push(m[1]);
        i += m[0].length - 1;
      }
    }
  }
  return classes;
}

/** Whether `selector` can only match inside a component we left out. */
export function needsUnusedComponent(selector) {
  return requiredClasses(selector).some(isUnusedClass);
}

const KEYFRAMES = /^(-webkit-|-moz-)?keyframes$/i;

/** The stylesheet without the rules of UNUSED_BLOCKS, and without keyframes nothing uses. */
export function pruneSurveyCss(css) {
  const tree = postcss.parse(css);
  tree.walkRules((rule) => {
    if (rule.parent?.type === "atrule" && KEYFRAMES.test(rule.parent.name)) return;
    const kept = rule.selectors.filter((s) => !needsUnusedComponent(s));
    if (kept.length === 0) rule.remove();
    else if (kept.length < rule.selectors.length) rule.selector = kept.join(",");
  });
  // Empty at-rules (a breakpoint whose rules all went), innermost first.
  let removed = true;
  while (removed) {
    removed = false;
    tree.walkAtRules((at) => {
      if (at.nodes && at.nodes.length === 0) {
        at.remove();
        removed = true;
      }
    });
  }
  const values = [];
  tree.walkDecls((decl) => values.push(decl.value));
  const used = values.join(" ");
  tree.walkAtRules(KEYFRAMES, (at) => {
    const name = at.params.trim();
    if (!new RegExp(`(^|[\\s,])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s,;])`).test(used)) at.remove();
  });
  return tree.toString();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = fs.readFileSync(SOURCE, "utf8");
  const output = pruneSurveyCss(input);
  fs.mkdirSync(path.dirname(TARGET), { recursive: true });
  // Written only when it changed, so a rebuild keeps the file's time (and Remix's hash) alike.
  if (!fs.existsSync(TARGET) || fs.readFileSync(TARGET, "utf8") !== output) fs.writeFileSync(TARGET, output);
  console.log(`prune-survey-css: ${Math.round(input.length / 1024)} KiB → ${Math.round(output.length / 1024)} KiB`);
}
