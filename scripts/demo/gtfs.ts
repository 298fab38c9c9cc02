import { csvText } from './csv';
import { toLonLat } from './geo';
import { densify, type DemoTransit } from './transit';

/** Real feeds are CRLF (the New Orleans feed is); loaders must cope, so the demo is too. */
const CRLF = '\r\n';
const SERVICES = [
  { id: 'WKDY', days: [1, 1, 1, 1, 1, 0, 0], tripsPerDirection: 10 },
  { id: 'SAT', days: [0, 0, 0, 0, 0, 1, 0], tripsPerDirection: 6 },
  { id: 'SUN', days: [0, 0, 0, 0, 0, 0, 1], tripsPerDirection: 4 },
] as const;

export function gtfsFiles(transit: DemoTransit, timeZone: string): Record<string, string> {
  const agency = csvText(
    ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'],
    [['DCT', 'Demo City Transit (synthetic)', 'https://example.invalid/demo-transit', timeZone, 'en']],
    CRLF,
  );
  const calendar = csvText(
    ['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'],
    SERVICES.map((s) => [s.id, ...s.days, '20260601', '20261231']),
    CRLF,
  );
  const routes = csvText(
    ['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_desc', 'route_type', 'route_url', 'route_color', 'route_text_color'],
    transit.routes.map((r) => [r.id, 'DCT', r.shortName, r.longName, '', r.type, '', r.color, 'FFFFFF']),
    CRLF,
  );
  const shapeRows: (string | number)[][] = [];
  const tripRows: (string | number)[][] = [];
  let tripNo = 1;
  for (const r of transit.routes) {
    const forward = densify(r.path);
    for (const direction of [0, 1] as const) {
      const pts = direction === 0 ? forward : [...forward].reverse();
      const shapeId = `${r.id}_${direction}`;
      let km = 0;
      pts.forEach((pt, i) => {
        if (i > 0) km += Math.hypot(pt.x - pts[i - 1]!.x, pt.y - pts[i - 1]!.y) / 1000;
        const [lon, lat] = toLonLat(pt);
        shapeRows.push([shapeId, lat.toFixed(6), lon.toFixed(6), i + 1, km.toFixed(4)]);
      });
      const headsign = direction === 0 ? r.longName : `${r.longName} (return)`;
      for (const s of SERVICES) {
        for (let t = 0; t < s.tripsPerDirection; t++) {
          tripRows.push([r.id, s.id, `T${String(tripNo++).padStart(5, '0')}`, headsign, '', direction, `${r.id}-${s.id}-${t % 3}`, shapeId, 1, 0]);
        }
      }
    }
  }
  const shapes = csvText(['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence', 'shape_dist_traveled'], shapeRows, CRLF);
  const trips = csvText(
    ['route_id', 'service_id', 'trip_id', 'trip_headsign', 'trip_short_name', 'direction_id', 'block_id', 'shape_id', 'wheelchair_accessible', 'bikes_allowed'],
    tripRows,
    CRLF,
  );
  const stops = csvText(
    ['stop_id', 'stop_code', 'stop_name', 'stop_desc', 'stop_lat', 'stop_lon', 'zone_id', 'stop_url', 'location_type', 'parent_station', 'stop_timezone', 'wheelchair_boarding'],
    transit.stops.map((s) => {
      const [lon, lat] = toLonLat(s.xy);
      return [s.id, s.code, s.name, '', lat.toFixed(6), lon.toFixed(6), '', '', s.locationType, s.parentStation, '', 1];
    }),
    CRLF,
  );
  return { 'agency.txt': agency, 'calendar.txt': calendar, 'routes.txt': routes, 'trips.txt': trips, 'shapes.txt': shapes, 'stops.txt': stops };
}
