/**
 * The briefing's stylesheet, shipped as assets/briefing.css. Kept as a string module so the
 * app (Vite) and the CLI (tsx) render the same bytes without a bundler loader. Projector
 * first: 20 px base type, strong contrast, no thin greys; print: black on white, one
 * section per page, no navigation.
 */
export const BRIEFING_CSS = `:root { --ink: #1a1a1a; --muted: #4a4a4a; --paper: #ffffff; --band: #f3f5f7; --accent: #0b4f8a; --up: #8a1c1c; --down: #145a32; }
* { box-sizing: border-box; }
html { font-size: 20px; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--paper); line-height: 1.5; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; z-index: 10; }
.masthead { background: #0b2c4a; color: #fff; padding: 2rem 5vw 1.5rem; }
.masthead .place { margin: 0; font-size: 1rem; letter-spacing: .06em; text-transform: uppercase; color: #d7e6f5; }
.masthead h1 { margin: .3rem 0 .6rem; font-size: 2.4rem; line-height: 1.15; max-width: 40ch; }
.masthead .dates { margin: 0; font-size: 1.05rem; color: #f0f4f8; }
.tools { margin-top: 1rem; display: flex; gap: .75rem; flex-wrap: wrap; }
.tools button { font: inherit; font-size: .9rem; padding: .4rem .9rem; border: 2px solid #fff; background: transparent; color: #fff; border-radius: 4px; cursor: pointer; }
.tools button:focus-visible, a:focus-visible, .table-wrap:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
nav { background: var(--band); border-bottom: 1px solid #d5d9de; padding: .5rem 5vw; position: sticky; top: 0; z-index: 5; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.4rem; }
nav a { color: var(--accent); font-weight: 600; font-size: .9rem; }
main { padding: 0 5vw 3rem; max-width: 1400px; }
section { padding-top: 2rem; border-bottom: 1px solid #e2e5e9; padding-bottom: 1.5rem; }
h2 { font-size: 1.8rem; margin: 0 0 .8rem; color: #0b2c4a; }
h3 { font-size: 1.2rem; margin: 1.4rem 0 .4rem; }
p { max-width: 70ch; }
.lead { font-size: 1.15rem; font-weight: 600; }
.small { font-size: .85rem; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 1rem; margin: 1.2rem 0; }
.card { background: var(--band); border-left: 6px solid var(--accent); padding: .8rem 1rem; }
.card p { margin: 0; }
.card-big { grid-column: span 2; background: #e6eef6; }
.card-label { font-weight: 600; color: var(--muted); }
.card-value { font-size: 2.6rem; font-weight: 700; line-height: 1.1; }
.card-big .card-value { font-size: 3.4rem; }
.card-change { font-weight: 700; font-size: 1.05rem; }
.change-up { color: var(--up); }
.change-down { color: var(--down); }
.card-prev { color: var(--muted); font-size: .9rem; }
.notes { background: #fff8e1; border-left: 6px solid #b58100; padding: .5rem 1rem; margin: 1rem 0; }
figure { margin: 1.5rem 0 .5rem; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
svg.chart { width: 100%; max-width: 1100px; height: auto; display: block; }
.table-wrap { overflow-x: auto; margin: .8rem 0 1.2rem; max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; padding: .3rem 0; font-size: .95rem; }
th, td { border-bottom: 1px solid #d5d9de; padding: .25rem .6rem; text-align: right; white-space: nowrap; }
th[scope="row"] { text-align: left; font-weight: 600; }
thead th { background: var(--band); }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #555; }
td.hidden-value { color: #595959; font-style: italic; }
.download { font: inherit; font-size: .8rem; margin: 0 0 .4rem; padding: .2rem .6rem; border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 3px; cursor: pointer; }
footer { padding: 1.5rem 5vw 3rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 700px) { html { font-size: 17px; } .card-big { grid-column: auto; } }
@media print {
  html { font-size: 11pt; }
  nav, .tools, .skip, .download { display: none !important; }
  .masthead { background: none; color: #000; padding: 0 0 1rem; border-bottom: 2px solid #000; }
  .masthead .place, .masthead .dates { color: #000; }
  main, footer { padding: 0; }
  section { break-before: page; border: 0; }
  section:first-of-type { break-before: auto; }
  figure, table, .cards { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  th, td { white-space: normal; }
  a { color: #000; text-decoration: none; }
}
`;
