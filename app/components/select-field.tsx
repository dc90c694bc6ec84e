/**
 * A labelled drop-down for the filter forms of the staff pages (year, area, weighting …): the label
 * wraps the select, so it needs no id, and the current value is the default.
 */
export interface Option {
  value: string;
  label: string;
}

export function SelectField({ label, name, value, options }: { label: string; name: string; value: string; options: Option[] }) {
  return (
    <label>
      {label}{" "}
      <select name={name} defaultValue={value}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Years as options, newest first as given. */
export function yearOptions(years: number[]): Option[] {
  return years.map((y) => ({ value: String(y), label: String(y) }));
}
