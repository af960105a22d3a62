/** The report's stylesheet: light and dark (prefers-color-scheme), and a print layout. */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --bg-alt: #f5f7fa; --fg: #1d232b; --fg-muted: #5b6672; --grid: #e3e7ec;
  --border: #d5dbe1; --ok: #17803d; --ok-bg: #e5f5ea; --bad: #b42318; --bad-bg: #fdecea;
  --warn: #9a6700; --warn-bg: #fff5d6; --accent: #2f7ed8;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12161b; --bg-alt: #1b2128; --fg: #e6e9ed; --fg-muted: #9aa5b1; --grid: #2a323b;
    --border: #333d47; --ok: #4ac26b; --ok-bg: #143321; --bad: #ff7b72; --bad-bg: #3b1618;
    --warn: #e3b341; --warn-bg: #3a2e0e; --accent: #58a6ff;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--border); }
h3 { font-size: 14px; margin: 16px 0 4px; }
p.note, .muted { color: var(--fg-muted); }
p.note { margin: 0 0 6px; font-size: 12.5px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 4px 24px; margin: 12px 0; }
.meta div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.meta b { color: var(--fg-muted); font-weight: 500; margin-right: 6px; }
.banner { border-radius: 6px; padding: 10px 14px; margin: 8px 0; border: 1px solid var(--border); }
.banner.ok { background: var(--ok-bg); color: var(--ok); border-color: var(--ok); }
.banner.bad { background: var(--bad-bg); color: var(--bad); border-color: var(--bad); }
.banner.warn { background: var(--warn-bg); color: var(--warn); border-color: var(--warn); }
.banner ul { margin: 4px 0 0; padding-left: 20px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { white-space: nowrap; padding: 4px 6px; border-bottom: 1px solid var(--grid); text-align: right; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; font-size: 12.5px; position: sticky; top: 0; white-space: normal; }
th.l, td.l { text-align: left; white-space: normal; }
td .mono { white-space: pre-wrap; }
tr:hover td { background: var(--bg-alt); }
.pass { color: var(--ok); font-weight: 600; }
.fail { color: var(--bad); font-weight: 600; }
.warn-text { color: var(--warn); }
.chart { margin: 8px 0 20px; min-height: 200px; width: 100%; }
.charts-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 24px; }
details { margin: 6px 0; }
summary { cursor: pointer; color: var(--fg-muted); }
.uplot { font-family: inherit; }
.u-legend { font-size: 12px; color: var(--fg); }
.u-legend .u-marker { border-radius: 2px; }
footer { margin: 32px 0 8px; color: var(--fg-muted); font-size: 12px; }
@media print {
  :root { --bg: #fff; --bg-alt: #f3f3f3; --fg: #000; --fg-muted: #444; --grid: #ddd; --border: #bbb; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .chart, table, .banner { break-inside: avoid; }
  .charts-2 { display: block; }
  details { display: block; }
  details > summary { display: none; }
  th { position: static; }
}
`;
