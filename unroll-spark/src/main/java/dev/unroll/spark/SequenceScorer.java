package dev.unroll.spark;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a partition: rows are read in chunks of {@code chunkSize}, each chunk is one padded
 * {@code [rows, steps, features]} tensor through the model's fused inference path (with lengths
 * when the chunk's sequences differ in length or a lengths column is given), and every row comes
 * out once, in order, with the output column appended. The model is this JVM's shared copy
 * ({@link ScoringModels}).
 */
final class SequenceScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String modelKey;
    private final SequenceColumns columns;
    private final StructType schema;
    private final boolean classes;
    private final int chunkSize;

    SequenceScorer(Broadcast<byte[]> model, String modelKey, SequenceColumns columns, StructType schema, boolean classes, int chunkSize) {
        this.model = model;
        this.modelKey = modelKey;
        this.columns = columns;
        this.schema = schema;
        this.classes = classes;
        this.chunkSize = chunkSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        StepFunction.useTaskCores();
        Layer layer = ScoringModels.get(modelKey, model::value);
        SequenceColumns.Reader reader = columns.reader(schema);
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                out.clear();
                next = 0;
                List<Row> chunk = new ArrayList<>(chunkSize);
                List<Example> examples = new ArrayList<>(chunkSize);
                while (chunk.size() < chunkSize && rows.hasNext()) {
                    Row row = rows.next();
                    chunk.add(row);
                    examples.add(reader.read(row));
                }
                if (!chunk.isEmpty()) {
                    score(layer, chunk, examples, out);
                }
                return !out.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }
        };
    }

    private void score(Layer layer, List<Row> chunk, List<Example> examples, List<Row> out) {
        int steps = 0;
        boolean ragged = false;
        for (Example e : examples) {
            ragged |= e.steps() != examples.get(0).steps() || e.length() < e.steps();
            steps = Math.max(steps, e.steps());
        }
        int features = examples.get(0).features();
        int n = examples.size();
        float[] x = new float[n * steps * features];
        int[] lengths = ragged ? new int[n] : null;
        for (int i = 0; i < n; i++) {
            Example e = examples.get(i);
            if (e.features() != features) {
                throw new IllegalArgumentException("column '" + columns.input() + "': a row has " + e.features()
                        + " features per step, another " + features);
            }
            System.arraycopy(e.values(), 0, x, i * steps * features, e.values().length);
            if (lengths != null) {
                lengths[i] = e.length();
            }
        }
        Tensor y;
        try (var scope = Autograd.noGrad()) {
            y = layer.forward(Variable.constant(Tensor.wrap(x, 0, n, steps, features)), Context.inference(lengths)).value();
        }
        for (int i = 0; i < n; i++) {
            Row r = chunk.get(i);
            Object[] values = new Object[r.length() + 1];
            for (int c = 0; c < r.length(); c++) {
                values[c] = r.get(c);
            }
            values[r.length()] = ModelOutput.value(y, i, classes, examples.get(i).length());
            out.add(RowFactory.create(values));
        }
    }
}
