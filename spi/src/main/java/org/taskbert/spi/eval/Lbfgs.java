package org.taskbert.spi.eval;

/**
 * Limited-memory BFGS with a backtracking Armijo line search, for smooth convex objectives. Written here because
 * commons-math3 3.6.1 has no quasi-Newton optimiser, and its nonlinear CG needs many more gradient evaluations.
 */
final class Lbfgs {
    private static final int MEMORY = 10;

    /** An objective that returns f(p) and writes ∇f(p) into grad. */
    interface Objective {
        double valueAndGradient(double[] p, double[] grad);
    }

    private Lbfgs() {}

    /** Minimises f from start; stops when max|∇f| < tolerance, f stops decreasing, or after maxIterations. */
    static double[] minimize(Objective f, double[] start, int maxIterations, double tolerance) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        double[] alpha = new double[MEMORY];
        for (int iteration = 0; iteration < maxIterations && maxAbs(g) >= tolerance; iteration++) {
            // two-loop recursion: d = −H·g, newest pair at index (stored − 1) % MEMORY
            double[] d = g.clone();
            for (int m = stored - 1; m >= Math.max(0, stored - MEMORY); m--) {
                int i = m % MEMORY;
                alpha[i] = rho[i] * dot(s[i], d);
                axpy(-alpha[i], y[i], d);
            }
            double gamma = 1 / Math.sqrt(dot(g, g)); // first step: unit length
            if (stored > 0) {
                int newest = (stored - 1) % MEMORY;
                gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            }
            for (int j = 0; j < n; j++) {
                d[j] *= gamma;
            }
            for (int m = Math.max(0, stored - MEMORY); m < stored; m++) {
                int i = m % MEMORY;
                axpy(alpha[i] - rho[i] * dot(y[i], d), s[i], d);
            }
            for (int j = 0; j < n; j++) {
                d[j] = -d[j];
            }
            double slope = dot(d, g);
            if (slope >= 0) { // not a descent direction: restart from steepest descent
                stored = 0;
                double norm = Math.sqrt(dot(g, g));
                for (int j = 0; j < n; j++) {
                    d[j] = -g[j] / norm;
                }
                slope = -norm;
            }
            double[] xNew = new double[n];
            double[] gNew = new double[n];
            double fNew;
            double step = 1;
            while (true) {
                for (int j = 0; j < n; j++) {
                    xNew[j] = x[j] + step * d[j];
                }
                fNew = f.valueAndGradient(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope) {
                    break;
                }
                step /= 2;
                if (step < 1e-12) {
                    return x; // no decrease possible at machine precision
                }
            }
            double[] sNew = new double[n];
            double[] yNew = new double[n];
            for (int j = 0; j < n; j++) {
                sNew[j] = xNew[j] - x[j];
                yNew[j] = gNew[j] - g[j];
            }
            double sy = dot(sNew, yNew);
            if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
                s[stored % MEMORY] = sNew;
                y[stored % MEMORY] = yNew;
                rho[stored % MEMORY] = 1 / sy;
                stored++;
            }
            boolean stalled = fx - fNew <= 1e-12 * Math.max(1, Math.abs(fx));
            x = xNew;
            g = gNew;
            fx = fNew;
            if (stalled) {
                break;
            }
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double e : v) {
            max = Math.max(max, Math.abs(e));
        }
        return max;
    }
}
