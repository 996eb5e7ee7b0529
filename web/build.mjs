// Build the dashboard into the Python package (src/wirecoder/serve/static/), so that `pip install` needs no npm.
// Leaflet comes from npm as is; the plain basemap (country shapes, drawn when no tile server is reachable) is
// converted once here from Natural Earth's 1:110m TopoJSON (world-atlas) to a small GeoJSON file.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "wirecoder", "serve", "static");
const modules = join(here, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "leaflet"), { recursive: true });

for (const name of ["leaflet.js", "leaflet.css", "images"]) {
  cpSync(join(modules, "leaflet", "dist", name), join(out, "leaflet", name), { recursive: true });
}
cpSync(join(modules, "leaflet", "LICENSE"), join(out, "leaflet", "LICENSE"));

// two decimals (about 1 km) is finer than a 1:110m outline needs and halves the file
const round = (value) => (Array.isArray(value) ? value.map(round) : Math.round(value * 100) / 100);
const topology = JSON.parse(readFileSync(join(modules, "world-atlas", "countries-110m.json"), "utf8"));
const countries = feature(topology, topology.objects.countries);
for (const f of countries.features) {
  f.geometry.coordinates = round(f.geometry.coordinates);
  f.properties = { name: f.properties.name };
}
writeFileSync(join(out, "basemap.geojson"), JSON.stringify(countries));
cpSync(join(modules, "world-atlas", "LICENSE"), join(out, "basemap.LICENSE"));

for (const name of ["index.html", "app.js", "app.css"]) {
  cpSync(join(here, "src", name), join(out, name));
}
console.log(`built the dashboard into ${out}`);
