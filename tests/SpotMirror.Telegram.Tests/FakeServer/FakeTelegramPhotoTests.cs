using System.Net.Http.Headers;
using SpotMirror.Testing.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace SpotMirror.Telegram.Tests.FakeServer;

/// <summary>sendPhoto on the fake Telegram server, through the real Telegram.Bot client and by hand-made multipart bodies.</summary>
public sealed class FakeTelegramPhotoTests
{
    private const long Chat = 42;
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    [Fact]
    public async Task A_photo_uploaded_by_the_client_is_accepted_as_a_photo_message_and_recorded_byte_for_byte()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        using var stream = new MemoryStream(Png);

        var message = await Bot(fake, http).SendPhoto(Chat, InputFile.FromStream(stream, "taste.png"), caption: "Your taste");

        Assert.NotNull(message.Photo);
        Assert.Equal("Your taste", message.Caption);
        var photo = Assert.Single(fake.SentPhotos);
        Assert.Equal((Chat, message.MessageId, "taste.png"), (photo.ChatId, (long)photo.MessageId, photo.FileName));
        Assert.Equal(Png, photo.Bytes);
        Assert.StartsWith("multipart/form-data", Assert.Single(fake.Requests).ContentType, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, byte[]?, int, string> Refusals => new()
    {
        { "no photo part", "42", null, 400, "there is no photo in the request" },
        { "no chat", null, Png, 400, "chat_id is empty" },
        { "not an image", "42", "GIF89a-not-really"u8.ToArray(), 400, "IMAGE_PROCESS_FAILED" },
        { "over 10 MB", "42", [.. Png, .. new byte[10 * 1024 * 1024]], 413, "Request Entity Too Large" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_sendPhoto_Telegram_would_refuse_is_refused_and_not_recorded(string why, string? chatId, byte[]? photo, int status, string description)
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();
        using var form = new MultipartFormDataContent();
        if (chatId is not null) form.Add(new StringContent(chatId), "chat_id");
        if (photo is not null)
        {
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "photo", "taste.png");
        }

        using var response = await http.PostAsync(new Uri($"{fake.BaseUrl}/bot{fake.Token}/sendPhoto"), form);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == status, $"{why}: {(int)response.StatusCode} {body}");
        Assert.Contains(description, body, StringComparison.Ordinal);
        Assert.Empty(fake.SentPhotos);
    }

    [Fact]
    public async Task A_photo_by_file_id_the_fake_never_stored_is_refused()
    {
        await using var fake = await FakeTelegramServer.StartAsync();
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => Bot(fake, http).SendPhoto(Chat, InputFile.FromFileId("AgACAgIAAxk")));

        Assert.Equal(400, error.ErrorCode);
        Assert.Empty(fake.SentPhotos);
    }

    private static TelegramBotClient Bot(FakeTelegramServer fake, HttpClient http) =>
        new(new TelegramBotClientOptions(fake.Token, baseUrl: fake.BaseUrl) { RetryThreshold = 0 }, http);
}
