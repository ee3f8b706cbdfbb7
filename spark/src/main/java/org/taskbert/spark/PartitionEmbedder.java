package org.taskbert.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.taskbert.spi.Pooling;

/** Embeds one partition's rows (id, text) with an encoder of the executor: rows (id[, text], vector) in its order. */
final class PartitionEmbedder implements FlatMapFunction<Iterator<Row>, Row> {

    private final ShippedModel model;
    private final String pooling;
    private final boolean normalize;
    private final int batchSize;
    private final boolean keepText;
    private final FaultPlan fault;
    private final LongAccumulator encoderNanos;

    /** {@code encoderNanos} adds up the time the encoders took, their creation excepted. */
    PartitionEmbedder(
            ShippedModel model,
            Pooling pooling,
            boolean normalize,
            int batchSize,
            boolean keepText,
            FaultPlan fault,
            LongAccumulator encoderNanos) {
        this.encoderNanos = encoderNanos;
        this.model = model;
        this.pooling = pooling.id();
        this.normalize = normalize;
        this.batchSize = batchSize;
        this.keepText = keepText;
        this.fault = fault;
    }

    static StructType schema(boolean keepText) {
        StructType s = new StructType().add("id", DataTypes.LongType, false);
        if (keepText) {
            s = s.add("text", DataTypes.StringType, false);
        }
        return s.add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        List<Long> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        rows.forEachRemaining(r -> {
            ids.add(r.getLong(0));
            texts.add(r.getString(1));
        });
        Pooling p = Pooling.parse(pooling);
        float[][] vectors = texts.isEmpty()
                ? new float[0][]
                : EncoderPool.with(model, batchSize, enc -> {
                    long start = System.nanoTime();
                    float[][] v = enc.embed(texts, Set.of(p), normalize).get(p);
                    encoderNanos.add(System.nanoTime() - start);
                    return v;
                });
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < vectors.length;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fault.check(next);
                int i = next++;
                return keepText
                        ? RowFactory.create(ids.get(i), texts.get(i), vectors[i])
                        : RowFactory.create(ids.get(i), vectors[i]);
            }
        };
    }
}
