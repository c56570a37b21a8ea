# The classical forecasters on the series panel, by the M4 competition's protocol.
#
#   Rscript classical.R DIR [--force] [--only NAME[,NAME...]] [--methods METHOD[,METHOD...]]
#
# DIR is what ../../shared/data/fetch-series wrote: DIR/index.csv (name,frequency,length,horizon) and
# one DIR/<name>.csv (time,value) per series. For every series of index.csv the last h = horizon
# points are held out, each method is fitted on the rest and forecasts h steps from that one origin:
#
#   naive    the last training value
#   snaive   the value one season (m = frequency) earlier                    forecast::snaive
#   naive2   naive on the seasonally adjusted series, reseasonalized (M4): classical multiplicative
#            decomposition when the 90% autocorrelation test at lag m finds the series seasonal
#   ets      forecast::ets; for m > 24 (taylor, half-hourly) TBATS with seasonal periods 48 and 336
#   arima    forecast::auto.arima; for m > 24 (taylor) with Fourier terms of periods 48 and 336 as
#            regressors (K = 10 each) and non-seasonal ARIMA errors: auto.arima with m = 336 does
#            not finish in 10 minutes
#   theta    forecast::thetaf
#
# Writes (and reads back as a cache: a (series, method) pair present in both files is not refitted
# unless --force):
#   DIR/classical-forecasts.csv  series,method,step,forecast,actual
#   DIR/classical-metrics.csv    series,method,smape,mase,owa,mae,rmse,mse,model,seconds,r_version,forecast_version
# Metrics as M4 computes them: sMAPE = mean 200|y-f|/(|y|+|f|) (%); MASE = mean |y-f| / the mean
# absolute seasonal difference (lag m; lag 1 when m = 1) of the training part; OWA = (sMAPE /
# sMAPE_naive2 + MASE / MASE_naive2) / 2 of the same series; MAE, RMSE, and MSE = the mean squared
# error over the h steps. `seconds` is the elapsed time of the fit and forecast.
suppressMessages(library(forecast))

args <- commandArgs(TRUE)
usage <- "usage: Rscript classical.R DIR [--force] [--only NAME[,NAME...]] [--methods METHOD[,METHOD...]]"
if (length(args) < 1 || startsWith(args[1], "--")) stop(usage, call. = FALSE)
dir <- args[1]; args <- args[-1]
force <- FALSE; only <- NULL
all_methods <- c("naive", "snaive", "naive2", "ets", "arima", "theta")
methods <- all_methods
while (length(args) > 0) {
  a <- args[1]
  if (a == "--force") { force <- TRUE; args <- args[-1] }
  else if (a %in% c("--only", "--methods") && length(args) >= 2) {
    v <- strsplit(args[2], ",", fixed = TRUE)[[1]]
    if (a == "--only") only <- v else methods <- v
    args <- args[-(1:2)]
  } else stop(paste("unknown argument", a, "\n", usage), call. = FALSE)
}
bad <- setdiff(methods, all_methods)
if (length(bad)) stop(paste("unknown method(s):", paste(bad, collapse = ", ")), call. = FALSE)

index <- read.csv(file.path(dir, "index.csv"), stringsAsFactors = FALSE)
if (!is.null(only)) {
  missing <- setdiff(only, index$name)
  if (length(missing)) stop(paste("not in index.csv:", paste(missing, collapse = ", ")), call. = FALSE)
  index <- index[index$name %in% only, ]
}
r_version <- paste(R.version$major, R.version$minor, sep = ".")
fc_version <- as.character(packageVersion("forecast"))
cat(sprintf("classical.R: R %s, forecast %s, %d series, methods %s\n", r_version, fc_version,
            nrow(index), paste(methods, collapse = ",")))

fc_file <- file.path(dir, "classical-forecasts.csv")
mt_file <- file.path(dir, "classical-metrics.csv")
fc_cols <- c("series", "method", "step", "forecast", "actual")
mt_cols <- c("series", "method", "smape", "mase", "owa", "mae", "rmse", "mse", "model", "seconds",
             "r_version", "forecast_version")
read_or_empty <- function(f, cols) {
  if (file.exists(f)) read.csv(f, stringsAsFactors = FALSE, colClasses = c(series = "character",
           method = "character", model = "character", r_version = "character",
           forecast_version = "character")[intersect(cols, c("series", "method", "model", "r_version",
           "forecast_version"))])[, cols]
  else as.data.frame(setNames(lapply(cols, function(c) if (c %in% c("series", "method", "model", "r_version",
           "forecast_version")) character(0) else numeric(0)), cols), stringsAsFactors = FALSE)
}
fcs <- read_or_empty(fc_file, fc_cols)
mts <- read_or_empty(mt_file, mt_cols)
write_atomic <- function(d, f) {
  tmp <- paste0(f, ".tmp", Sys.getpid())
  write.csv(d, tmp, row.names = FALSE)
  file.rename(tmp, f)
}

# The M4 benchmark code's seasonality test: the autocorrelation at lag m exceeds its 90% limit
# (1.645 / sqrt(n) * sqrt(1 + 2 sum_{k<m} r_k^2), Bartlett); never seasonal with fewer than 3m points.
# The M4 code calls acf() with its default lag.max (10 log10 n), which for m = 336 (taylor) stops
# before lag m and so would always answer "not seasonal"; here acf goes to lag m, as the test means.
seasonality_test <- function(y, m) {
  if (length(y) < 3 * m) return(FALSE)
  r <- acf(as.numeric(y), lag.max = max(m, floor(10 * log10(length(y)))), plot = FALSE)$acf[-1, 1, 1]
  clim <- 1.645 / sqrt(length(y)) * sqrt(cumsum(c(1, 2 * r^2)))
  s <- abs(r[m]) > clim[m]
  !is.na(s) && s
}

# M4's Naive2: naive on the series divided by its multiplicative seasonal indices, times the indices.
naive2 <- function(y, h) {
  m <- frequency(y)
  seasonal <- m > 1 && seasonality_test(y, m)
  if (seasonal) {
    dec <- decompose(y, type = "multiplicative")
    si <- as.numeric(dec$seasonal)
    si_out <- head(rep(si[(length(si) - m + 1):length(si)], h), h)
    f <- rep(as.numeric(y / dec$seasonal)[length(y)], h) * si_out
  } else f <- rep(as.numeric(y)[length(y)], h)
  list(mean = f, model = if (seasonal) "Naive2 (seasonal: multiplicative decomposition)" else "Naive2 (not seasonal: naive)")
}

fit_one <- function(method, y, h) {
  m <- frequency(y)
  switch(method,
    naive = list(mean = as.numeric(naive(y, h = h)$mean), model = "naive"),
    snaive = list(mean = as.numeric(snaive(y, h = h)$mean), model = sprintf("seasonal naive (m=%d)", m)),
    naive2 = naive2(y, h),
    ets = if (m > 24) {
      fit <- tbats(msts(as.numeric(y), seasonal.periods = c(48, 336)))
      list(mean = as.numeric(forecast(fit, h = h)$mean), model = as.character(fit))
    } else {
      fit <- ets(y)
      list(mean = as.numeric(forecast(fit, h = h)$mean), model = fit$method)
    },
    arima = if (m > 24) {
      # auto.arima with a seasonal period of 336 does not finish in 10 minutes here: on taylor,
      # ARIMA is a regression on Fourier terms of both periods (K = 10 each) with auto.arima errors.
      z <- msts(as.numeric(y), seasonal.periods = c(48, 336))
      fit <- auto.arima(z, seasonal = FALSE, xreg = fourier(z, K = c(10, 10)))
      list(mean = as.numeric(forecast(fit, xreg = fourier(z, K = c(10, 10), h = h))$mean),
           model = paste(as.character(fit), "on Fourier terms K=(10,10) of periods 48 and 336"))
    } else {
      fit <- auto.arima(y)
      list(mean = as.numeric(forecast(fit, h = h)$mean), model = as.character(fit))
    },
    theta = list(mean = as.numeric(thetaf(y, h = h)$mean), model = "theta (thetaf)"))
}

# The M4 error measures (the competition's R code, per series).
mase_scale <- function(train, m) {
  lag <- if (m > 1) m else 1
  mean(abs(diff(as.numeric(train), lag = lag)))
}
scores <- function(f, actual, scale) {
  e <- actual - f
  c(smape = mean(200 * abs(e) / (abs(actual) + abs(f))), mase = mean(abs(e)) / scale,
    mae = mean(abs(e)), rmse = sqrt(mean(e^2)), mse = mean(e^2))
}

for (i in seq_len(nrow(index))) {
  name <- index$name[i]; m <- index$frequency[i]; h <- index$horizon[i]
  d <- read.csv(file.path(dir, paste0(name, ".csv")), stringsAsFactors = FALSE)
  if (nrow(d) != index$length[i]) stop(sprintf("%s: %d rows, index.csv says %d", name, nrow(d), index$length[i]))
  n <- nrow(d)
  train <- ts(d$value[1:(n - h)], frequency = m)
  actual <- d$value[(n - h + 1):n]
  scale <- mase_scale(train, m)
  for (method in methods) {
    have <- any(mts$series == name & mts$method == method) && any(fcs$series == name & fcs$method == method)
    if (have && !force) next
    t0 <- proc.time()[["elapsed"]]
    r <- fit_one(method, train, h)
    secs <- proc.time()[["elapsed"]] - t0
    if (length(r$mean) != h || any(!is.finite(r$mean))) stop(sprintf("%s %s: bad forecast", name, method))
    s <- scores(r$mean, actual, scale)
    cat(sprintf("%-15s %-7s sMAPE %8.3f  MASE %7.3f  %6.1f s  %s\n", name, method, s[["smape"]], s[["mase"]], secs, r$model))
    fcs <- rbind(fcs[!(fcs$series == name & fcs$method == method), ],
                 data.frame(series = name, method = method, step = seq_len(h), forecast = r$mean, actual = actual))
    mts <- rbind(mts[!(mts$series == name & mts$method == method), ],
                 data.frame(series = name, method = method, smape = s[["smape"]], mase = s[["mase"]], owa = NA,
                            mae = s[["mae"]], rmse = s[["rmse"]], mse = s[["mse"]], model = r$model,
                            seconds = round(secs, 3), r_version = r_version, forecast_version = fc_version))
    # OWA against the same series' Naive2, for every row whose Naive2 is known.
    for (j in seq_len(nrow(mts))) {
      k <- which(mts$series == mts$series[j] & mts$method == "naive2")
      mts$owa[j] <- if (length(k) == 1) (as.numeric(mts$smape[j]) / as.numeric(mts$smape[k]) +
                                         as.numeric(mts$mase[j]) / as.numeric(mts$mase[k])) / 2 else NA
    }
    ord_f <- order(fcs$series, fcs$method, as.numeric(fcs$step)); ord_m <- order(mts$series, mts$method)
    write_atomic(fcs[ord_f, ], fc_file)
    write_atomic(mts[ord_m, ], mt_file)
  }
}
cat(sprintf("classical.R: %s, %s\n", fc_file, mt_file))
