package org.taskbert.spi.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every loss's SameDiff gradient against central finite differences in double precision: the gradients a task's
 * head hands to the encoder's backward pass (whose own gradients {@code BertGradientTest} checks).
 */
class LossGradientTest {

    private record Inputs(SDVariable u, SDVariable v, SDVariable w, SDVariable scale) {}

    static Stream<Arguments> losses() {
        Function<Inputs, SDVariable> contrastive =
                in -> Losses.inBatchContrastive(Losses.normalize(in.u), Losses.normalize(in.v), in.scale);
        Function<Inputs, SDVariable> dotContrastive = in -> Losses.inBatchContrastive(in.u, in.v, in.scale);
        Function<Inputs, SDVariable> binary = in -> {
            SameDiff sd = in.u.getSameDiff();
            SDVariable z = Losses.cosine(in.u, in.v).mul(in.scale).sub(3);
            return Losses.binaryCrossEntropyWithLogits(z, sd.constant(Nd4j.create(new double[][] {
                {1}, {0}, {1}, {0}, {0}
            })));
        };
        Function<Inputs, SDVariable> regression = in -> Losses.cosineRegression(
                in.u, in.v, in.u.getSameDiff().constant(Nd4j.create(new double[][] {{0.9}, {0.1}, {0.5}, {-0.2}, {0.3}
                })));
        Function<Inputs, SDVariable> triplet = in -> Losses.tripletMargin(in.u, in.v, in.w, 0.5);
        Function<Inputs, SDVariable> softmax = in -> Losses.softmaxCrossEntropy(
                in.u.mul(in.scale),
                in.u.getSameDiff().constant(Nd4j.eye(8).getRows(0, 3, 5, 1, 7).castTo(DataType.DOUBLE)));
        return Stream.of(
                Arguments.of("in-batch contrastive of normalised rows (SimCSE, cos/τ)", contrastive),
                Arguments.of("in-batch contrastive of raw inner products", dotContrastive),
                Arguments.of("binary cross-entropy of a scaled cosine", binary),
                Arguments.of("cosine regression", regression),
                Arguments.of("triplet margin on cosine", triplet),
                Arguments.of("softmax cross-entropy", softmax));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientsEqualFiniteDifferences(String name, Function<Inputs, SDVariable> build) {
        Nd4j.getRandom().setSeed(11);
        SameDiff sd = SameDiff.create();
        Inputs in = new Inputs(
                sd.var("u", Nd4j.randn(DataType.DOUBLE, 5, 8)),
                sd.var("v", Nd4j.randn(DataType.DOUBLE, 5, 8)),
                sd.var("w", Nd4j.randn(DataType.DOUBLE, 5, 8)),
                sd.var("scale", Nd4j.scalar(2.5).reshape(1, 1)));
        SDVariable loss = build.apply(in);
        loss.markAsLoss();
        List<String> wrt = List.of("u", "v", "w", "scale");
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), wrt);
        double h = 1e-6;
        for (String var : wrt) {
            INDArray x = sd.getVariable(var).getArr();
            INDArray g = grads.get(var);
            for (int i = 0; i < x.length(); i++) {
                double x0 = x.getDouble(i);
                x.putScalar(i, x0 + h);
                double up = value(sd, loss);
                x.putScalar(i, x0 - h);
                double down = value(sd, loss);
                x.putScalar(i, x0);
                double want = (up - down) / (2 * h);
                double have = g == null ? 0 : g.getDouble(i);
                assertEquals(want, have, 1e-6 + 1e-4 * Math.abs(want), name + ": d/d" + var + "[" + i + "]");
            }
        }
    }

    private static double value(SameDiff sd, SDVariable loss) {
        return sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
    }
}
