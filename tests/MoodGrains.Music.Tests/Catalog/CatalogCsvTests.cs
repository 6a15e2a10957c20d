using MoodGrains.Music.Catalog;
using MoodGrains.Storage.Catalog;

namespace MoodGrains.Music.Tests.Catalog;

public sealed class CatalogCsvTests
{
    [Fact]
    public void The_reader_handles_quotes_commas_doubled_quotes_line_breaks_and_CRLF()
    {
        var text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\r\n";
        var records = CsvReader.Read(new StringReader(text)).ToArray();

        Assert.Equal(3, records.Length);
        Assert.Equal(["x, y", "say \"hi\"", "two\nlines"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(4, records[2].Line);
        Assert.Equal(["last", "", ""], records[2].Fields);
    }

    [Theory]
    [InlineData("name,album,artist,id,release_date,popularity,length,danceability,valence,mood", CatalogCsvLayout.Moods)]
    [InlineData("energy,tempo,track_artist,track_id,track_name,duration_ms,playlist_genre", CatalogCsvLayout.Playlist)]
    [InlineData("title,artist,album,year,duration_ms,genre,tags,valence,energy,danceability,acousticness,tempo", CatalogCsvLayout.Demo)]
    public void The_layout_is_detected_from_the_header(string header, CatalogCsvLayout expected) =>
        Assert.Equal(expected, CatalogCsvFormat.Create(header.Split(',')).Layout);

    [Fact]
    public void An_unknown_header_is_refused_with_the_layouts_it_could_have_been()
    {
        var error = Assert.Throws<FormatException>(() => CatalogCsvFormat.Create(["song", "singer"]));
        Assert.Contains("track_name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",Band,1111111111111111111111,200000,0.5,120,happy", "empty title")]
    [InlineData("Song,,1111111111111111111111,200000,0.5,120,happy", "empty artist")]
    [InlineData("Song,Band,not-an-id,200000,0.5,120,happy", "not a Spotify track id")]
    [InlineData("Song,Band,1111111111111111111111,,0.5,120,happy", "duration")]
    [InlineData("Song,Band,1111111111111111111111,-5,0.5,120,happy", "duration")]
    [InlineData("Song,Band,1111111111111111111111,200000,1.5,120,happy", "valence '1.5'")]
    [InlineData("Song,Band,1111111111111111111111,200000,abc,120,happy", "valence 'abc'")]
    [InlineData("Song,Band,1111111111111111111111,200000,0.5,0,happy", "tempo '0'")]
    [InlineData("Song,Band,1111111111111111111111,200000,0.5,120", "has 6 fields")]
    public void Invalid_rows_are_rejected_with_a_reason(string row, string reason)
    {
        var format = CatalogCsvFormat.Create("name,artist,id,length,valence,tempo,mood".Split(','));
        var parsed = format.Parse(7, CsvReader.Read(new StringReader(row)).Single().Fields);

        Assert.Null(parsed.Track);
        Assert.Contains(reason, parsed.Rejection, StringComparison.Ordinal);
        Assert.Equal(7, parsed.Line);
    }

    [Fact]
    public void A_playlist_row_maps_genre_subgenre_and_artists()
    {
        var format = CatalogCsvFormat.Create("track_id,track_name,track_artist,duration_ms,valence,playlist_genre,playlist_subgenre,track_popularity".Split(','));
        var row = format.Parse(2, ["2plbrEY59IikOBgBGLjaoe", "Die With A Smile", "Lady Gaga, Bruno Mars", "251668", "0.535", "pop", "mainstream", "100"]);

        var track = Assert.IsType<CatalogTrackInput>(row.Track);
        Assert.Equal(["Lady Gaga", "Bruno Mars"], track.Artists);
        Assert.Equal(["pop"], track.Genres);
        Assert.Equal(["mainstream"], track.Tags);
        Assert.Equal(0.535f, track.Features.Valence);
        Assert.Null(track.Features.Energy);
        Assert.Equal(100f, track.Popularity);
        Assert.Equal(FeatureSource.Imported, track.Source);
    }

    [Theory]
    [InlineData("Tyler, The Creator", new[] { "Tyler, The Creator" })]
    [InlineData("Tyler, The Creator, Kali Uchis", new[] { "Tyler, The Creator", "Kali Uchis" })]
    [InlineData("Earth, Wind & Fire", new[] { "Earth", "Wind & Fire" })]
    public void Artist_lists_are_split_on_comma_space(string text, string[] expected) =>
        Assert.Equal(expected, CatalogCsvFormat.SplitArtists(text));
}
