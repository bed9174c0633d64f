using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.Client;

/// <summary>A message with a file: our multipart body (payload_json, files[n]) against the fake, which checks it as Discord does.</summary>
public sealed class RestUploadTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 8, 7];
    private FakeDiscordServer _fake = null!;
    private DiscordRest _rest = null!;
    private DiscordApi _api = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync();
        _rest = new DiscordRest(new DiscordOptions { Token = _fake.Token, ApiBaseUrl = _fake.ApiBaseUrl }, TimeProvider.System, NullLogger<DiscordRest>.Instance);
        _api = new DiscordApi(_rest);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _rest.Dispose();

    [Fact]
    public async Task A_picture_goes_as_files_0_and_the_embed_shows_it_from_the_stored_attachment()
    {
        var message = new JsonObject { ["content"] = "Your taste" };
        var file = DiscordRenderer.AttachPicture(message, Png);

        var sent = await _api.CreateMessageAsync(_fake.Options.GuildChannelId, message, [file], CancellationToken.None);

        var upload = Assert.Single(_fake.Uploads);
        Assert.Equal((DiscordRoutes.CreateMessage, 200), (upload.Route, upload.Status));
        var part = Assert.Single(upload.Files);
        Assert.Equal(("files[0]", "taste.png", "image/png"), (part.FieldName, part.FileName, part.ContentType));
        Assert.Equal(Png, part.Bytes);
        var attachment = Assert.Single(sent["attachments"]!.AsArray())!;
        Assert.Equal(("taste.png", Png.Length), ((string?)attachment["filename"], (int?)attachment["size"]));
        Assert.Equal((string?)attachment["url"], (string?)sent["embeds"]![0]!["image"]!["url"]);
    }

    [Fact]
    public async Task An_attachment_that_names_no_uploaded_file_is_refused_and_nothing_is_posted()
    {
        var message = new JsonObject { ["content"] = "Your taste" };
        var file = DiscordRenderer.AttachPicture(message, Png);
        message["attachments"] = new JsonArray(new JsonObject { ["id"] = 3, ["filename"] = "taste.png" });

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => _api.CreateMessageAsync(_fake.Options.GuildChannelId, message, [file], CancellationToken.None));

        Assert.Equal(50035, error.Code);
        Assert.DoesNotContain(_fake.Messages, m => m.Content == "Your taste");
    }
}
