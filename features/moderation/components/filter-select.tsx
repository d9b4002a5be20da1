/** One labelled select of the queue's and the log's GET filter forms; `any` adds an empty "any" choice first. */
export function FilterSelect({
  label,
  name,
  value,
  options,
  any,
}: {
  label: string;
  name: string;
  value: string;
  options: { value: string; label: string }[];
  any?: string;
}) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {any !== undefined && <option value="">{any}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
