/** Names as MySQL compares them here: case-insensitively (lower_case_table_names=2). */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
