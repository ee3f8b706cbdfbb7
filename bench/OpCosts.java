import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What one bert-base layer's forward pass costs op by op in ND4J, at B sentences of T tokens, as InferenceEncoder
 * runs it; plus what allocating an activation costs against reusing a buffer, and ND4J's fused LayerNorm against the
 * one taskbert writes out. Each figure is the fastest of 15 runs. A single-file program (no build step of its own):
 *
 *   java -cp "framework/target/taskbert-framework-0.1.0-SNAPSHOT.jar:$(cat framework/target/classpath.txt)" \
 *       bench/OpCosts.java 32 13
 */
public class OpCosts {

    static final Map<String, Double> MS = new LinkedHashMap<>();

    static void time(String name, Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        MS.put(name, best);
    }

    public static void main(String[] args) {
        int b = Integer.parseInt(args[0]);
        int t = Integer.parseInt(args[1]);
        int n = b * t, h = 768, heads = 12, d = 64, f = 3072;
        Nd4j.getRandom().setSeed(1);
        // Activations of BERT's scale (unit variance), so that nothing drifts into denormals over the repeats.
        INDArray x = Nd4j.randn(DataType.FLOAT, n, h);
        INDArray qkvW = Nd4j.randn(DataType.FLOAT, h, 3 * h).muli(0.02), qkv = Nd4j.create(DataType.FLOAT, n, 3 * h);
        INDArray outW = Nd4j.randn(DataType.FLOAT, h, h).muli(0.02), attn = Nd4j.randn(DataType.FLOAT, n, h);
        INDArray interW = Nd4j.randn(DataType.FLOAT, h, f).muli(0.02), inner = Nd4j.randn(DataType.FLOAT, n, f);
        INDArray out2W = Nd4j.randn(DataType.FLOAT, f, h).muli(0.02), y = Nd4j.create(DataType.FLOAT, n, h);
        INDArray bias3 = Nd4j.randn(DataType.FLOAT, 1, 3 * h), biasF = Nd4j.randn(DataType.FLOAT, 1, f);
        INDArray gain = Nd4j.rand(DataType.FLOAT, 1, h), beta = Nd4j.rand(DataType.FLOAT, 1, h);
        INDArray split = Nd4j.create(DataType.FLOAT, 3, b, heads, t, d);
        INDArray scores = Nd4j.create(DataType.FLOAT, b, heads, t, t), context = Nd4j.create(DataType.FLOAT, b, heads, t, d);
        INDArray heads2d = Nd4j.create(DataType.FLOAT, n, h), squares = Nd4j.create(DataType.FLOAT, n, h);
        INDArray erf = Nd4j.create(DataType.FLOAT, n, f), maskAdd = Nd4j.zeros(DataType.FLOAT, b, 1, 1, t);
        for (int warm = 0; warm < 2; warm++) {
            MS.clear();
            time("GEMM Q/K/V [n,768]x[768,2304]", () -> Nd4j.gemm(x, qkvW, qkv, false, false, 1.0, 0.0));
            time("bias Q/K/V", () -> qkv.addiRowVector(bias3));
            time("split heads into a reused buffer", () -> split.assign(qkv.reshape(b, t, 3, heads, d).permute(2, 0, 3, 1, 4)));
            time("attention scores (batched matmul)", () -> Nd4j.matmul(split.get(NDArrayIndex.point(0)),
                    split.get(NDArrayIndex.point(1)), scores, false, true, false));
            time("mask add + softmax", () -> {
                scores.addi(maskAdd);
                Nd4j.exec(new SoftMax(scores, scores, 3));
            });
            time("attention context (batched matmul)", () -> Nd4j.matmul(scores, split.get(NDArrayIndex.point(2)),
                    context, false, false, false));
            time("merge heads", () -> heads2d.reshape(b, t, heads, d).assign(context.permute(0, 2, 1, 3)));
            time("GEMM attention output [n,768]x[768,768]", () -> Nd4j.gemm(heads2d, outW, attn, false, false, 1.0, 0.0));
            time("residual add", () -> attn.addi(x));
            time("LayerNorm (taskbert's, x2 per layer)", () -> {
                INDArray z = y.assign(attn);
                z.subiColumnVector(z.mean(true, 1));
                INDArray var = z.mul(z, squares).mean(true, 1);
                z.diviColumnVector(Transforms.sqrt(var.addi(1e-12), false));
                z.muliRowVector(gain).addiRowVector(beta);
            });
            time("GEMM intermediate [n,768]x[768,3072]", () -> Nd4j.gemm(attn, interW, inner, false, false, 1.0, 0.0));
            time("bias intermediate", () -> inner.addiRowVector(biasF));
            time("GELU (exact, erf)", () -> {
                erf.assign(inner).muli(1.0 / Math.sqrt(2.0));
                Nd4j.exec(new Erf(erf, erf));
                erf.addi(1.0).muli(inner).muli(0.5);
            });
            time("GEMM output [n,3072]x[3072,768]", () -> Nd4j.gemm(erf, out2W, y, false, false, 1.0, 0.0));
        }
        double gemm = 0, total = 0;
        for (Map.Entry<String, Double> e : MS.entrySet()) {
            double ms = e.getValue() * (e.getKey().contains("LayerNorm") ? 2 : 1);
            if (e.getKey().startsWith("  fused")) {
                continue;
            }
            total += ms;
            gemm += e.getKey().startsWith("GEMM") ? ms : 0;
        }
        System.out.printf("one bert-base layer, %d x %d tokens (n = %d):%n", b, t, n);
        for (Map.Entry<String, Double> e : MS.entrySet()) {
            double ms = e.getValue() * (e.getKey().contains("LayerNorm") ? 2 : 1);
            System.out.printf("  %-42s %8.3f ms  %5.1f%%%n", e.getKey(), ms, 100 * ms / total);
        }
        double flops = 2.0 * n * h * (3 * h + h + 2 * f);
        System.out.printf("  total %.2f ms; GEMMs %.2f ms at %.1f GFLOP/s, %.0f%% of the layer%n", total, gemm,
                flops / gemm / 1e6, 100 * gemm / total);

        MS.clear();
        time("allocate a fresh [n,2304] array", () -> Nd4j.createUninitialized(DataType.FLOAT, n, 3 * h));
        time("copy heads with permute().dup() (allocates)", () -> qkv.reshape(b, t, 3, heads, d).permute(2, 0, 3, 1, 4).dup('c'));
        time("copy heads into a reused buffer", () -> split.assign(qkv.reshape(b, t, 3, heads, d).permute(2, 0, 3, 1, 4)));
        INDArray gain1 = gain.reshape(h), beta1 = beta.reshape(h), fused = Nd4j.create(DataType.FLOAT, n, h);
        time("ND4J fused LayerNorm op", () -> Nd4j.exec(new LayerNorm(attn, gain1, beta1, fused, true, 1)));
        System.out.println("allocation and alternatives:");
        MS.forEach((k, v) -> System.out.printf("  %-42s %8.3f ms%n", k, v));
        INDArray ours = attn.dup();
        ours.subiColumnVector(ours.mean(true, 1));
        INDArray var = ours.mul(ours).mean(true, 1);
        ours.diviColumnVector(Transforms.sqrt(var.addi(1e-12), false)).muliRowVector(gain).addiRowVector(beta);
        System.out.printf("  fused LayerNorm vs taskbert's: max |difference| %.2e%n", fused.sub(ours).amaxNumber().doubleValue());
    }
}
