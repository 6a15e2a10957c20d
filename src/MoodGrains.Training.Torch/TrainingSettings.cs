namespace MoodGrains.Training.Torch;

/// <summary>
/// Everything that decides what a training run computes. It is stored with every checkpoint, and a resumed run uses
/// the stored settings, so a run continued in a later session is the run that was started.
/// </summary>
/// <param name="Epochs">passes over the training part; the learning-rate schedule spans all of them.</param>
/// <param name="PeakLearningRate">SGD with Nesterov momentum; linear warm-up to this, then a cosine down to zero.</param>
/// <param name="BatchesPerEpoch">0 for whole epochs; a smoke run stops each epoch (and validation) after this many batches.</param>
/// <param name="SplitSeed">draws the held-out slice, independently of <paramref name="Seed"/> so runs with different seeds validate on the same images.</param>
/// <param name="Seed">initial weights, batch order, augmentation and dropout.</param>
/// <param name="InitialWeights">another run's weights to start from instead of random ones (a second learning-rate cycle); that run must have held out the same slice.</param>
/// <param name="InitialWeightsSha256">the SHA-256 of <paramref name="InitialWeights"/> when this run was set up; a start from these settings refuses other weights (a resume reads its checkpoint instead).</param>
/// <param name="Teacher">a <c>TeacherFile</c> of soft targets for the training images (distillation), or null.</param>
/// <param name="TeacherSha256">the SHA-256 of <paramref name="Teacher"/> when this run was set up; every start and resume refuses another file.</param>
/// <param name="TeacherWeight">the loss is (1 - w) x the smoothed cross-entropy with the labels + w x the cross-entropy with the teacher's probabilities.</param>
public sealed record TrainingSettings(
    EmotionCnnShape Shape,
    Augmentation Augmentation,
    int Epochs = 40,
    int BatchSize = 64,
    double PeakLearningRate = 0.05,
    double Momentum = 0.9,
    double WeightDecay = 5e-4,
    double LabelSmoothing = 0.1,
    double WarmupEpochs = 2,
    double ValidationFraction = 0.1,
    int SplitSeed = 20131,
    int Seed = 1,
    int BatchesPerEpoch = 0,
    int LimitPerClass = int.MaxValue,
    string? InitialWeights = null,
    string? InitialWeightsSha256 = null,
    string? Teacher = null,
    string? TeacherSha256 = null,
    double TeacherWeight = 0)
{
    /// <summary>The learning rate at optimiser step <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public double LearningRate(long step, long totalSteps)
    {
        var warmup = Math.Min(totalSteps - 1, (long)Math.Round(WarmupEpochs * totalSteps / Epochs));
        if (step < warmup)
        {
            return PeakLearningRate * (step + 1) / warmup;
        }

        var progress = (double)(step - warmup) / Math.Max(1, totalSteps - warmup);
        return 0.5 * PeakLearningRate * (1 + Math.Cos(Math.PI * progress));
    }
}
