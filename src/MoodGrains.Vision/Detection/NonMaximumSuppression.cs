namespace MoodGrains.Vision.Detection;

internal static class NonMaximumSuppression
{
    /// <summary>
    /// MediaPipe-style weighted suppression: each kept face is the score-weighted mean of the boxes it absorbs,
    /// which steadies the box from frame to frame better than keeping only the top one.
    /// </summary>
    public static List<FaceDetection> Weighted(List<FaceDetection> candidates, float iouThreshold)
    {
        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        var used = new bool[candidates.Count];
        var result = new List<FaceDetection>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (used[i])
            {
                continue;
            }

            var top = candidates[i];
            float sx = 0, sy = 0, sw = 0, sh = 0, total = 0;
            for (var j = i; j < candidates.Count; j++)
            {
                if (used[j] || top.Box.IntersectionOverUnion(candidates[j].Box) <= iouThreshold)
                {
                    continue;
                }

                used[j] = true;
                var c = candidates[j];
                sx += c.Box.X * c.Score;
                sy += c.Box.Y * c.Score;
                sw += c.Box.Width * c.Score;
                sh += c.Box.Height * c.Score;
                total += c.Score;
            }

            result.Add(new FaceDetection(new FaceBox(sx / total, sy / total, sw / total, sh / total), top.Score));
        }

        return result;
    }
}
