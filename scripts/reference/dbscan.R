# Reference DBSCAN labels for tests/fixtures/dbscan (methods.md §5).
# Reads in/*.json (planar x, y in metres, epsMeters, minPoints), writes out/<name>.r.json.
# Run: Rscript scripts/reference/dbscan.R   (needs r-cran-dbscan, r-cran-jsonlite)
suppressPackageStartupMessages({ library(dbscan); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", ".."))
dir <- file.path(root, "tests", "fixtures", "dbscan")
dir.create(file.path(dir, "out"), showWarnings = FALSE)
for (path in sort(Sys.glob(file.path(dir, "in", "*.json")))) {
  f <- fromJSON(path)
  xy <- cbind(as.numeric(f$x), as.numeric(f$y))
  # borderPoints = TRUE is classic DBSCAN; minPts counts the point itself; eps compared with <=.
  res <- dbscan(xy, eps = f$epsMeters, minPts = f$minPoints, borderPoints = TRUE)
  core <- is.corepoint(xy, eps = f$epsMeters, minPts = f$minPoints)
  out <- list(
    name = f$name,
    reference = paste0("R ", getRversion(), " dbscan ", packageVersion("dbscan")),
    cluster = as.integer(res$cluster), # 1..K, 0 = noise
    core = as.logical(core)
  )
  write(toJSON(out, auto_unbox = TRUE), file.path(dir, "out", paste0(f$name, ".r.json")))
}
cat("R dbscan reference outputs written to", file.path(dir, "out"), "\n")
