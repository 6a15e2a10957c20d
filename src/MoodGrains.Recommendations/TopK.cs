namespace MoodGrains.Recommendations;

/// <summary>Selects the k best indices of a score vector with a small min-heap: O(n log k), no sort of the whole catalogue.</summary>
public static class TopK
{
    /// <summary>Indices of the k highest finite scores, best first; NaN and -infinity (excluded items) are skipped.</summary>
    public static int[] Select(ReadOnlySpan<float> scores, int k)
    {
        if (k <= 0)
        {
            return [];
        }

        var heapItems = new int[k];
        var heapScores = new float[k];
        var size = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (!(s > float.NegativeInfinity))
            {
                continue;
            }

            if (size < k)
            {
                heapItems[size] = i;
                heapScores[size] = s;
                SiftUp(heapItems, heapScores, size++);
            }
            else if (s > heapScores[0])
            {
                heapItems[0] = i;
                heapScores[0] = s;
                SiftDown(heapItems, heapScores, size);
            }
        }

        var result = heapItems[..size];
        var keys = heapScores[..size];
        Array.Sort(keys, result);
        Array.Reverse(result);
        return result;
    }

    private static void SiftUp(int[] items, float[] scores, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (scores[parent] <= scores[i])
            {
                return;
            }

            Swap(items, scores, i, parent);
            i = parent;
        }
    }

    private static void SiftDown(int[] items, float[] scores, int size)
    {
        var i = 0;
        while (true)
        {
            var left = (2 * i) + 1;
            var smallest = i;
            if (left < size && scores[left] < scores[smallest])
            {
                smallest = left;
            }

            if (left + 1 < size && scores[left + 1] < scores[smallest])
            {
                smallest = left + 1;
            }

            if (smallest == i)
            {
                return;
            }

            Swap(items, scores, i, smallest);
            i = smallest;
        }
    }

    private static void Swap(int[] items, float[] scores, int a, int b)
    {
        (items[a], items[b]) = (items[b], items[a]);
        (scores[a], scores[b]) = (scores[b], scores[a]);
    }
}
