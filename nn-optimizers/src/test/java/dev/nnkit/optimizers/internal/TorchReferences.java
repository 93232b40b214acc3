package dev.nnkit.optimizers.internal;

import dev.nnkit.tck.OptimizerContract.Reference;
import java.util.List;
import java.util.Map;

/**
 * θ after 10 steps of torch.optim on the optimizer contract's quadratic (5 steps at 0.05, then 5 at
 * 0.02; Adadelta 1.0 then 0.5), from nn-tck/src/test/python/tck_references.py with torch 1.13, float64.
 * Settings other than the defaults, so sign slips in a weight decay or a bias correction one step off
 * change θ. NAdam has none here: torch 1.13's NAdam has pytorch#92699 (its golden test in
 * nn-verification patches it).
 */
final class TorchReferences {
    private static final double[] MIXED = {0.05, 0.05, 0.05, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.02};

    private TorchReferences() {
    }

    static final List<Reference> SGD = List.of(
            new Reference(Map.of("momentum", 0.9, "nesterov", true, "weightDecay", 0.1), MIXED, new double[] {
                0.2653036003542892, -0.07464282489870781, 1.6036252713668058, 0.366488707634801, -0.35833199434314494,
                0.35873422203260663}),
            new Reference(Map.of("momentum", 0.8, "dampening", 0.3), MIXED, new double[] {
                0.5724504773626337, 0.42437923223058915, 1.0776324007286242, 0.463264483960611, -0.04259579106085264,
                0.05838437021356544}));

    static final List<Reference> ADAM = List.of(
            new Reference(Map.of("beta1", 0.8, "beta2", 0.99, "weightDecay", 0.1, "amsgrad", true), MIXED, new double[] {
                0.6629279950756762, 0.6548702991954591, -0.6536301650662679, 0.17238143765264938, 0.3599023296912483,
                -0.06056997909772577}));

    static final List<Reference> ADAMW = List.of(
            new Reference(Map.of("beta1", 0.8, "beta2", 0.99, "weightDecay", 0.2, "amsgrad", true), MIXED, new double[] {
                0.6097601650979592, 0.59807112599071, -0.5969073504059843, 0.15162973271115038, 0.3242016308401806,
                -0.043781772346743825}),
            new Reference(Map.of("weightDecay", 0.1), MIXED, new double[] {
                0.6302153062397055, 0.6236008168516073, -0.622987180451039, 0.15338483556917035, 0.33732492693384564,
                -0.047417429694290913}));

    static final List<Reference> ADAMAX = List.of(
            new Reference(Map.of("beta1", 0.8, "beta2", 0.99, "weightDecay", 0.1), MIXED, new double[] {
                0.6869265528158415, 0.6610458445804942, -0.6558494385661192, 0.20731472035363527, 0.3784856876494972,
                -0.08045684723677034}));

    static final List<Reference> ADAGRAD = List.of(
            new Reference(Map.of("learningRateDecay", 0.01, "weightDecay", 0.1, "initialAccumulator", 0.1), MIXED,
                    new double[] {0.823859348695324, 0.816577511779098, -0.8110507872141819, 0.4152462829725163,
                        0.5176942473091917, -0.2230489330696981}));

    static final List<Reference> RMSPROP = List.of(
            new Reference(Map.of("alpha", 0.9, "momentum", 0.5, "centered", true, "weightDecay", 0.1), MIXED,
                    new double[] {0.2514069244905809, -0.15103958260672395, 0.22766145995349532, -0.01760901913196458,
                        -0.1718565932205015, 0.44178443634435133}));

    static final List<Reference> ADADELTA = List.of(
            new Reference(Map.of("rho", 0.8, "weightDecay", 0.1), new double[] {1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5},
                    new double[] {0.981234995010569, 0.9811648375658003, -0.9811512948684487, 0.4812992293514755,
                        0.6812114985967699, -0.3812169861586369}));
}
