/**
 * Data for training and running recurrent networks: reading the MNIST IDX format
 * ({@link dev.unroll.data.Idx}, {@link dev.unroll.data.MnistDataset}) and CSV series
 * ({@link dev.unroll.data.CsvSeries}), the seed's generated time series
 * ({@link dev.unroll.data.TimeSeries}), one-step-ahead windows ({@link dev.unroll.data.Windows}),
 * padding of variable-length sequences ({@link dev.unroll.data.PaddedBatch}) and seeded mini-batches
 * ({@link dev.unroll.data.MiniBatches}, {@link dev.unroll.data.Gather}).
 *
 * <p>Builds on {@code dev.unroll.tensor} only. Bad files throw a {@link dev.unroll.data.DataFileException}
 * (an {@code IOException}) naming the file; bad arguments an {@code IllegalArgumentException}.
 */
package dev.unroll.data;
