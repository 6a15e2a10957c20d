using MoodGrains.Training.Vision;

namespace MoodGrains.Training.Tests;

public sealed class TeacherFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("moodgrains-teacher-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Probabilities_read_back_exactly_by_relative_path()
    {
        var file = Path.Combine(_folder.FullName, "teacher.csv");
        float[] a = [0.1f, 0.2f, 0.05f, 0.4f, 0.1f, 0.05f, 0.1f];
        float[] b = [1f / 3, 0, 0, 1f / 3, 0, 0, 1f / 3];

        TeacherFile.Write(file, "cnn2-tencrop+xception+head", [("happy/1.png", a), ("sad/2.png", b)]);
        var (teacher, rows) = TeacherFile.Read(file);

        Assert.Equal("cnn2-tencrop+xception+head", teacher);
        Assert.Equal(["happy/1.png", "sad/2.png"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(a, rows["happy/1.png"]);
        Assert.Equal(b, rows["sad/2.png"]);
        Assert.False(File.Exists(file + ".partial"));
    }

    [Theory]
    [InlineData("happy/1.png,0.5,0.5,0,0,0,0", "line 3")]
    [InlineData("happy/1.png,0.5,0.6,0,0,0,0,0", "line 3")]
    [InlineData("happy/1.png,-0.5,1.5,0,0,0,0,0", "line 3")]
    [InlineData("happy/1.png,NaN,1,0,0,0,0,0", "line 3")]
    [InlineData("happy/1.png,1,0,0,0,0,0,0\nhappy/1.png,1,0,0,0,0,0,0", "appears twice")]
    public void A_bad_row_is_refused_with_its_line(string rows, string expected)
    {
        var file = Path.Combine(_folder.FullName, "bad.csv");
        File.WriteAllText(file, "# teacher: test\npath,angry,disgust,fear,happy,sad,surprise,neutral\n" + rows + "\n");

        var error = Assert.Throws<InvalidDataException>(() => TeacherFile.Read(file));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_csv_is_not_taken_for_a_teacher_file()
    {
        var file = Path.Combine(_folder.FullName, "other.csv");
        File.WriteAllText(file, "path,angry\nx,1\n");

        Assert.Contains("not a teacher file", Assert.Throws<InvalidDataException>(() => TeacherFile.Read(file)).Message, StringComparison.Ordinal);
    }
}
