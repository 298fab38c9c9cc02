/**
 * Built-in projected CRS candidates for `suggestCrs`. Definitions and areas of use were
 * generated from the PROJ database (`projinfo EPSG:<code> -o PROJ`, proj-data on Debian),
 * not typed from memory. State Plane: the zones of the largest US police agencies plus both
 * Louisiana zones (the NOPD file uses Louisiana South ftUS); feet vs metres is decided by
 * which definition lands the points inside the zone. UTM zones are generated below.
 */
export interface CrsDefinition {
  code: string;
  name: string;
  proj4: string;
  /** area of use: [west, south, east, north] in degrees */
  bbox: readonly [number, number, number, number];
}

export const STATE_PLANE: readonly CrsDefinition[] = [
  { code: 'EPSG:3452', name: 'NAD83 / Louisiana South (ftUS)', proj4: '+proj=lcc +lat_0=28.5 +lon_0=-91.3333333333333 +lat_1=30.7 +lat_2=29.3 +x_0=999999.99998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-93.94, 28.85, -88.75, 31.07] },
  { code: 'EPSG:3451', name: 'NAD83 / Louisiana North (ftUS)', proj4: '+proj=lcc +lat_0=30.5 +lon_0=-92.5 +lat_1=32.6666666666667 +lat_2=31.1666666666667 +x_0=999999.99998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-94.05, 30.85, -90.86, 33.03] },
  { code: 'EPSG:26982', name: 'NAD83 / Louisiana South', proj4: '+proj=lcc +lat_0=28.5 +lon_0=-91.3333333333333 +lat_1=30.7 +lat_2=29.3 +x_0=1000000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs', bbox: [-93.94, 28.85, -88.75, 31.07] },
  { code: 'EPSG:2263', name: 'NAD83 / New York Long Island (ftUS)', proj4: '+proj=lcc +lat_0=40.1666666666667 +lon_0=-74 +lat_1=41.0333333333333 +lat_2=40.6666666666667 +x_0=300000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-74.26, 40.47, -71.8, 41.3] },
  { code: 'EPSG:2260', name: 'NAD83 / New York East (ftUS)', proj4: '+proj=tmerc +lat_0=38.8333333333333 +lon_0=-74.5 +k=0.9999 +x_0=150000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-75.87, 40.88, -73.23, 45.02] },
  { code: 'EPSG:2229', name: 'NAD83 / California zone 5 (ftUS)', proj4: '+proj=lcc +lat_0=33.5 +lon_0=-118 +lat_1=35.4666666666667 +lat_2=34.0333333333333 +x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-121.42, 32.76, -114.12, 35.81] },
  { code: 'EPSG:2227', name: 'NAD83 / California zone 3 (ftUS)', proj4: '+proj=lcc +lat_0=36.5 +lon_0=-120.5 +lat_1=38.4333333333333 +lat_2=37.0666666666667 +x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-123.02, 36.73, -117.83, 38.71] },
  { code: 'EPSG:2230', name: 'NAD83 / California zone 6 (ftUS)', proj4: '+proj=lcc +lat_0=32.1666666666667 +lon_0=-116.25 +lat_1=33.8833333333333 +lat_2=32.7833333333333 +x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-118.15, 32.53, -114.42, 34.08] },
  { code: 'EPSG:2226', name: 'NAD83 / California zone 2 (ftUS)', proj4: '+proj=lcc +lat_0=37.6666666666667 +lon_0=-122 +lat_1=39.8333333333333 +lat_2=38.3333333333333 +x_0=2000000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-124.06, 38.02, -119.54, 40.16] },
  { code: 'EPSG:3435', name: 'NAD83 / Illinois East (ftUS)', proj4: '+proj=tmerc +lat_0=36.6666666666667 +lon_0=-88.3333333333333 +k=0.999975 +x_0=300000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-89.28, 37.06, -87.02, 42.5] },
  { code: 'EPSG:3436', name: 'NAD83 / Illinois West (ftUS)', proj4: '+proj=tmerc +lat_0=36.6666666666667 +lon_0=-90.1666666666667 +k=0.999941177 +x_0=699999.99998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-91.52, 36.98, -88.93, 42.51] },
  { code: 'EPSG:2278', name: 'NAD83 / Texas South Central (ftUS)', proj4: '+proj=lcc +lat_0=27.8333333333333 +lon_0=-99 +lat_1=30.2833333333333 +lat_2=28.3833333333333 +x_0=600000 +y_0=3999999.9998984 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-105, 27.78, -93.76, 30.67] },
  { code: 'EPSG:2276', name: 'NAD83 / Texas North Central (ftUS)', proj4: '+proj=lcc +lat_0=31.6666666666667 +lon_0=-98.5 +lat_1=33.9666666666667 +lat_2=32.1333333333333 +x_0=600000 +y_0=2000000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-103.07, 31.72, -94, 34.58] },
  { code: 'EPSG:2277', name: 'NAD83 / Texas Central (ftUS)', proj4: '+proj=lcc +lat_0=29.6666666666667 +lon_0=-100.333333333333 +lat_1=31.8833333333333 +lat_2=30.1166666666667 +x_0=699999.9998984 +y_0=3000000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-106.66, 29.78, -93.5, 32.27] },
  { code: 'EPSG:2279', name: 'NAD83 / Texas South (ftUS)', proj4: '+proj=lcc +lat_0=25.6666666666667 +lon_0=-98.5 +lat_1=27.8333333333333 +lat_2=26.1666666666667 +x_0=300000 +y_0=5000000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-100.2, 25.83, -96.85, 28.21] },
  { code: 'EPSG:2223', name: 'NAD83 / Arizona Central (ft)', proj4: '+proj=tmerc +lat_0=31 +lon_0=-111.916666666667 +k=0.9999 +x_0=213360 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=ft +no_defs', bbox: [-113.35, 31.33, -110.44, 37.01] },
  { code: 'EPSG:2272', name: 'NAD83 / Pennsylvania South (ftUS)', proj4: '+proj=lcc +lat_0=39.3333333333333 +lon_0=-77.75 +lat_1=40.9666666666667 +lat_2=39.9333333333333 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-80.53, 39.71, -74.72, 41.18] },
  { code: 'EPSG:2271', name: 'NAD83 / Pennsylvania North (ftUS)', proj4: '+proj=lcc +lat_0=40.1666666666667 +lon_0=-77.75 +lat_1=41.95 +lat_2=40.8833333333333 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-80.53, 40.6, -74.7, 42.53] },
  { code: 'EPSG:2248', name: 'NAD83 / Maryland (ftUS)', proj4: '+proj=lcc +lat_0=37.6666666666667 +lon_0=-77 +lat_1=39.45 +lat_2=38.3 +x_0=399999.9998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-79.49, 37.97, -74.97, 39.73] },
  { code: 'EPSG:2249', name: 'NAD83 / Massachusetts Mainland (ftUS)', proj4: '+proj=lcc +lat_0=41 +lon_0=-71.5 +lat_1=42.6833333333333 +lat_2=41.7166666666667 +x_0=200000.0001016 +y_0=750000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-73.5, 41.46, -69.86, 42.89] },
  { code: 'EPSG:2240', name: 'NAD83 / Georgia West (ftUS)', proj4: '+proj=tmerc +lat_0=30 +lon_0=-84.1666666666667 +k=0.9999 +x_0=699999.9998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-85.61, 30.62, -82.99, 35.01] },
  { code: 'EPSG:2239', name: 'NAD83 / Georgia East (ftUS)', proj4: '+proj=tmerc +lat_0=30 +lon_0=-82.1666666666667 +k=0.9999 +x_0=200000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-83.47, 30.36, -80.77, 34.68] },
  { code: 'EPSG:2285', name: 'NAD83 / Washington North (ftUS)', proj4: '+proj=lcc +lat_0=47 +lon_0=-120.833333333333 +lat_1=48.7333333333333 +lat_2=47.5 +x_0=500000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-124.79, 47.08, -117.02, 49.05] },
  { code: 'EPSG:2286', name: 'NAD83 / Washington South (ftUS)', proj4: '+proj=lcc +lat_0=45.3333333333333 +lon_0=-120.5 +lat_1=47.3333333333333 +lat_2=45.8333333333333 +x_0=500000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-124.4, 45.54, -116.91, 47.61] },
  { code: 'EPSG:2232', name: 'NAD83 / Colorado Central (ftUS)', proj4: '+proj=lcc +lat_0=37.8333333333333 +lon_0=-105.5 +lat_1=39.75 +lat_2=38.45 +x_0=914401.828803658 +y_0=304800.609601219 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-109.06, 38.14, -102.04, 40.09] },
  { code: 'EPSG:2236', name: 'NAD83 / Florida East (ftUS)', proj4: '+proj=tmerc +lat_0=24.3333333333333 +lon_0=-81 +k=0.999941177 +x_0=200000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-82.33, 24.41, -79.97, 30.83] },
  { code: 'EPSG:2237', name: 'NAD83 / Florida West (ftUS)', proj4: '+proj=tmerc +lat_0=24.3333333333333 +lon_0=-82 +k=0.999941177 +x_0=200000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-83.34, 26.27, -81.13, 29.6] },
  { code: 'EPSG:2238', name: 'NAD83 / Florida North (ftUS)', proj4: '+proj=lcc +lat_0=29 +lon_0=-84.5 +lat_1=30.75 +lat_2=29.5833333333333 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-87.63, 29.21, -82.04, 31.01] },
  { code: 'EPSG:2253', name: 'NAD83 / Michigan South (ft)', proj4: '+proj=lcc +lat_0=41.5 +lon_0=-84.3666666666667 +lat_1=43.6666666666667 +lat_2=42.1 +x_0=3999999.999984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=ft +no_defs', bbox: [-87.2, 41.69, -82.13, 44.22] },
  { code: 'EPSG:2246', name: 'NAD83 / Kentucky North (ftUS)', proj4: '+proj=lcc +lat_0=37.5 +lon_0=-84.25 +lat_1=37.9666666666667 +lat_2=38.9666666666667 +x_0=500000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-85.96, 37.71, -82.47, 39.15] },
  { code: 'EPSG:2247', name: 'NAD83 / Kentucky South (ftUS)', proj4: '+proj=lcc +lat_0=36.3333333333333 +lon_0=-85.75 +lat_1=37.9333333333333 +lat_2=36.7333333333333 +x_0=500000.0001016 +y_0=500000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-89.57, 36.49, -81.95, 38.17] },
  { code: 'EPSG:3424', name: 'NAD83 / New Jersey (ftUS)', proj4: '+proj=tmerc +lat_0=38.8333333333333 +lon_0=-74.5 +k=0.9999 +x_0=150000 +y_0=0 +datum=NAD83 +units=us-ft +no_defs', bbox: [-75.6, 38.87, -73.88, 41.36] },
  { code: 'EPSG:2268', name: 'NAD83 / Oklahoma South (ftUS)', proj4: '+proj=lcc +lat_0=33.3333333333333 +lon_0=-98 +lat_1=35.2333333333333 +lat_2=33.9333333333333 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-100, 33.62, -94.42, 35.57] },
  { code: 'EPSG:2267', name: 'NAD83 / Oklahoma North (ftUS)', proj4: '+proj=lcc +lat_0=35 +lon_0=-98 +lat_1=36.7666666666667 +lat_2=35.5666666666667 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-103, 35.27, -94.42, 37.01] },
  { code: 'EPSG:2274', name: 'NAD83 / Tennessee (ftUS)', proj4: '+proj=lcc +lat_0=34.3333333333333 +lon_0=-86 +lat_1=36.4166666666667 +lat_2=35.25 +x_0=600000 +y_0=0 +datum=NAD83 +units=us-ft +no_defs', bbox: [-90.31, 34.98, -81.65, 36.68] },
  { code: 'EPSG:2281', name: 'NAD83 / Utah Central (ft)', proj4: '+proj=lcc +lat_0=38.3333333333333 +lon_0=-111.5 +lat_1=40.65 +lat_2=39.0166666666667 +x_0=500000.0001504 +y_0=1999999.999992 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=ft +no_defs', bbox: [-114.05, 38.49, -109.04, 41.08] },
  { code: 'EPSG:2283', name: 'NAD83 / Virginia North (ftUS)', proj4: '+proj=lcc +lat_0=37.6666666666667 +lon_0=-78.5 +lat_1=39.2 +lat_2=38.0333333333333 +x_0=3500000.0001016 +y_0=2000000.0001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-80.06, 37.77, -76.51, 39.46] },
  { code: 'EPSG:2284', name: 'NAD83 / Virginia South (ftUS)', proj4: '+proj=lcc +lat_0=36.3333333333333 +lon_0=-78.5 +lat_1=37.9666666666667 +lat_2=36.7666666666667 +x_0=3500000.0001016 +y_0=999999.9998984 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-83.68, 36.54, -75.31, 38.28] },
  { code: 'EPSG:2264', name: 'NAD83 / North Carolina (ftUS)', proj4: '+proj=lcc +lat_0=33.75 +lon_0=-79 +lat_1=36.1666666666667 +lat_2=34.3333333333333 +x_0=609601.219202438 +y_0=0 +datum=NAD83 +units=us-ft +no_defs', bbox: [-84.33, 33.83, -75.38, 36.59] },
  { code: 'EPSG:2258', name: 'NAD83 / New Mexico Central (ftUS)', proj4: '+proj=tmerc +lat_0=31 +lon_0=-106.25 +k=0.9999 +x_0=500000.0001016 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-107.73, 31.78, -104.84, 37] },
  { code: 'EPSG:3734', name: 'NAD83 / Ohio North (ftUS)', proj4: '+proj=lcc +lat_0=39.6666666666667 +lon_0=-82.5 +lat_1=41.7 +lat_2=40.4333333333333 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-84.81, 40.1, -80.51, 42.33] },
  { code: 'EPSG:3735', name: 'NAD83 / Ohio South (ftUS)', proj4: '+proj=lcc +lat_0=38 +lon_0=-82.5 +lat_1=40.0333333333333 +lat_2=38.7333333333333 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-84.83, 38.4, -80.7, 40.36] },
  { code: 'EPSG:3421', name: 'NAD83 / Nevada East (ftUS)', proj4: '+proj=tmerc +lat_0=34.75 +lon_0=-115.583333333333 +k=0.9999 +x_0=200000.00001016 +y_0=8000000.00001016 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-117.01, 34.99, -114.03, 42] },
  { code: 'EPSG:2913', name: 'NAD83(HARN) / Oregon North (ft)', proj4: '+proj=lcc +lat_0=43.6666666666667 +lon_0=-120.5 +lat_1=46 +lat_2=44.3333333333333 +x_0=2500000.0001424 +y_0=0 +ellps=GRS80 +units=ft +no_defs', bbox: [-124.17, 43.95, -116.47, 46.26] },
  { code: 'EPSG:2965', name: 'NAD83 / Indiana East (ftUS)', proj4: '+proj=tmerc +lat_0=37.5 +lon_0=-85.6666666666667 +k=0.999966667 +x_0=99999.9998983998 +y_0=249999.9998984 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-86.59, 37.95, -84.78, 41.77] },
  { code: 'EPSG:2966', name: 'NAD83 / Indiana West (ftUS)', proj4: '+proj=tmerc +lat_0=37.5 +lon_0=-87.0833333333333 +k=0.999966667 +x_0=900000 +y_0=249999.9998984 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-88.06, 37.77, -86.24, 41.77] },
  { code: 'EPSG:2255', name: 'NAD83 / Mississippi West (ftUS)', proj4: '+proj=tmerc +lat_0=29.5 +lon_0=-90.3333333333333 +k=0.99995 +x_0=699999.9998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-91.65, 31, -89.37, 35.01] },
  { code: 'EPSG:2254', name: 'NAD83 / Mississippi East (ftUS)', proj4: '+proj=tmerc +lat_0=29.5 +lon_0=-88.8333333333333 +k=0.99995 +x_0=300000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-89.97, 30.01, -88.09, 35.01] },
  { code: 'EPSG:3438', name: 'NAD83 / Rhode Island (ftUS)', proj4: '+proj=tmerc +lat_0=41.0833333333333 +lon_0=-71.5 +k=0.99999375 +x_0=99999.99998984 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-71.85, 41.13, -71.08, 42.02] },
  { code: 'EPSG:2234', name: 'NAD83 / Connecticut (ftUS)', proj4: '+proj=lcc +lat_0=40.8333333333333 +lon_0=-72.75 +lat_1=41.8666666666667 +lat_2=41.2 +x_0=304800.609601219 +y_0=152400.30480061 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-73.73, 40.98, -71.78, 42.05] },
  { code: 'EPSG:2815', name: 'NAD83(HARN) / Missouri East', proj4: '+proj=tmerc +lat_0=35.8333333333333 +lon_0=-90.5 +k=0.999933333 +x_0=250000 +y_0=0 +ellps=GRS80 +units=m +no_defs', bbox: [-91.97, 35.98, -89.1, 40.61] },
  { code: 'EPSG:2288', name: 'NAD83 / Wisconsin Central (ftUS)', proj4: '+proj=lcc +lat_0=43.8333333333333 +lon_0=-90 +lat_1=45.5 +lat_2=44.25 +x_0=600000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=us-ft +no_defs', bbox: [-92.89, 43.98, -86.25, 45.8] },
];

/**
 * UTM zones 1–60 north and south on WGS 84 (EPSG:326zz / 327zz) and NAD83 zones 1–23 north
 * (EPSG:269zz, the ones EPSG defines). NAD83 and WGS 84 differ by about a metre, far below
 * block-level obscuring, so either code is a fine answer when both fit.
 */
export const UTM: readonly CrsDefinition[] = (() => {
  const out: CrsDefinition[] = [];
  for (let zone = 1; zone <= 60; zone++) {
    const west = -180 + (zone - 1) * 6;
    const pad = String(zone).padStart(2, '0');
    out.push({
      code: `EPSG:326${pad}`,
      name: `WGS 84 / UTM zone ${zone}N`,
      proj4: `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`,
      bbox: [west, 0, west + 6, 84],
    });
    out.push({
      code: `EPSG:327${pad}`,
      name: `WGS 84 / UTM zone ${zone}S`,
      proj4: `+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs`,
      bbox: [west, -80, west + 6, 0],
    });
    if (zone <= 23) {
      out.push({
        code: `EPSG:269${pad}`,
        name: `NAD83 / UTM zone ${zone}N`,
        proj4: `+proj=utm +zone=${zone} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`,
        bbox: [west, 23, west + 6, 84],
      });
    }
  }
  return out;
})();

export const BUILT_IN_CRS: readonly CrsDefinition[] = [...STATE_PLANE, ...UTM];
