# Reference Gi* (spdep::localG with include.self, methods.md §1), BH (p.adjust) and the
# space-time Gi* of emerging hot spots (methods.md §4) for tests/fixtures/{gi-star,emerging}.
# Reads in/*.json (planar metres), writes out/<name>.json. Needs r-cran-spdep, r-cran-jsonlite.
# Run: Rscript scripts/reference/gi-star.R
suppressPackageStartupMessages({ library(spdep); library(jsonlite) })
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", ".."))
fixtures <- file.path(root, "tests", "fixtures")
reference <- paste0("R ", getRversion(), " spdep ", packageVersion("spdep"))
write_out <- function(dir, name, out) {
  dir.create(file.path(dir, "out"), showWarnings = FALSE)
  write(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null"), file.path(dir, "out", paste0(name, ".json")))
}
two_sided <- function(z) 2 * pnorm(abs(z), lower.tail = FALSE)
band_nb <- function(xy, d) include.self(dnearneigh(xy, 0, d)) # closed [0, d]
zero_based <- function(nb) lapply(nb, function(v) I(as.integer(v[v > 0] - 1L))) # I(): keep length-1 lists as arrays

dir <- file.path(fixtures, "gi-star")
for (path in sort(Sys.glob(file.path(dir, "in", "*.json")))) {
  f <- fromJSON(path)
  xy <- cbind(as.numeric(f$x), as.numeric(f$y))
  nb <- if (f$neighbours$type == "band") band_nb(xy, f$neighbours$radiusMeters) else include.self(knn2nb(knearneigh(xy, k = f$neighbours$k)))
  lw <- nb2listw(nb, style = "B")
  z <- as.numeric(localG(as.numeric(f$values), lw))
  # Row-standardised weights must give the same z (methods.md §1); checked here, not assumed.
  zw <- as.numeric(localG(as.numeric(f$values), nb2listw(nb, style = "W")))
  stopifnot(max(abs(z - zw)) < 1e-12)
  write_out(dir, f$name, list(
    name = f$name, reference = reference,
    call = if (f$neighbours$type == "band") "localG(x, nb2listw(include.self(dnearneigh(xy, 0, D)), style = 'B'))" else "localG(x, nb2listw(include.self(knn2nb(knearneigh(xy, k))), style = 'B'))",
    neighbours = zero_based(nb),
    z = z, p = two_sided(z), pGreater = pnorm(z, lower.tail = FALSE),
    q = p.adjust(two_sided(z), "BH")
  ))
}

dir <- file.path(fixtures, "fdr")
for (path in sort(Sys.glob(file.path(dir, "in", "*.json")))) {
  f <- fromJSON(path)
  p <- as.numeric(f$p)
  m <- f[["n", exact = TRUE]] # f$n would partially match f$name
  q <- if (is.null(m)) p.adjust(p, "BH") else p.adjust(p, "BH", n = m)
  write_out(dir, f$name, list(name = f$name, reference = paste0("R ", getRversion(), " stats::p.adjust(p, 'BH')"), q = q))
}

# Mann-Kendall written out from the definition (Kendall, Rank Correlation Methods), in doubles;
# tau_b cross-checked with base R's cor(method = "kendall").
mann_kendall <- function(x) {
  x <- x[!is.na(x)]
  n <- length(x)
  s <- 0
  for (i in seq_len(n - 1)) s <- s + sum(sign(x[(i + 1):n] - x[i]))
  t <- as.numeric(table(x))
  var_s <- (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5))) / 18
  z <- if (var_s <= 0 || s == 0) 0 else if (s > 0) (s - 1) / sqrt(var_s) else (s + 1) / sqrt(var_s)
  tau_b <- if (var_s > 0) cor(seq_len(n), x, method = "kendall") else NA
  list(S = s, varS = var_s, Z = z, p = if (var_s > 0) two_sided(z) else 1, tauB = tau_b)
}

dir <- file.path(fixtures, "emerging")
for (path in sort(Sys.glob(file.path(dir, "in", "*.json")))) {
  f <- fromJSON(path)
  n <- f$nLocations
  steps <- f$nSteps
  cube <- matrix(as.numeric(f$values), nrow = n, ncol = steps, byrow = TRUE)
  xy <- cbind(as.numeric(f$x), as.numeric(f$y))
  nb <- band_nb(xy, f$radiusMeters)
  lw <- nb2listw(nb, style = "B")
  runs <- list()
  for (k in f$neighbourhoodTimeSteps) {
    z <- matrix(NA_real_, n, steps)
    for (t in seq_len(steps)) {
      x <- cube[, t]
      xbar <- mean(x)
      s <- sqrt(sum((x - xbar)^2) / n)
      window <- max(1, t - k):t
      # sfdep's space-time Gi*: slice moments, neighbours' values at t-k..t in the local sum.
      for (i in seq_len(n)) {
        w <- length(nb[[i]]) * length(window)
        z[i, t] <- (sum(cube[nb[[i]], window]) - xbar * w) / (s * sqrt((n * w - w^2) / (n - 1)))
      }
      if (k == 0) stopifnot(max(abs(z[, t] - as.numeric(localG(x, lw)))) < 1e-12)
    }
    p <- two_sided(z)
    q <- apply(p, 2, p.adjust, method = "BH")
    mk <- lapply(seq_len(n), function(i) mann_kendall(z[i, ]))
    runs[[length(runs) + 1]] <- list(
      neighbourhoodTimeSteps = k,
      z = as.numeric(t(z)), p = as.numeric(t(p)), q = as.numeric(t(q)),
      mkS = sapply(mk, `[[`, "S"), mkVarS = sapply(mk, `[[`, "varS"), mkZ = sapply(mk, `[[`, "Z"),
      mkP = sapply(mk, `[[`, "p"), mkTauB = sapply(mk, `[[`, "tauB")
    )
  }
  write_out(dir, f$name, list(name = f$name, reference = paste(reference, "(k = 0 checked against localG per slice)"), runs = runs))
}
cat("R Gi*/BH/emerging reference outputs written under", fixtures, "\n")
