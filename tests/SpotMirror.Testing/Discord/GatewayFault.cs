namespace SpotMirror.Testing.Discord;

/// <summary>A one-shot gateway fault that waits for its moment: the next connection, identify or resume.</summary>
public abstract record GatewayFault
{
    private protected GatewayFault()
    {
    }

    /// <summary>The next connection gets op 7 Reconnect where Hello belongs.</summary>
    public static GatewayFault ReconnectInsteadOfHello { get; } = new BeforeHello();

    /// <summary>The next Resume is answered with op 9; with <paramref name="resumable"/> false the session is gone.</summary>
    public static GatewayFault InvalidSessionOnResume(bool resumable) => new OnResume(resumable);

    /// <summary>The next Identify is answered with op 9, as Discord does when identifies come too fast.</summary>
    public static GatewayFault InvalidSessionOnIdentify(bool resumable) => new OnIdentify(resumable);

    internal sealed record BeforeHello : GatewayFault;

    internal sealed record OnResume(bool Resumable) : GatewayFault;

    internal sealed record OnIdentify(bool Resumable) : GatewayFault;
}
