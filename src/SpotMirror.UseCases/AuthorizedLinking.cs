using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.UseCases;

public enum AuthorizationOutcome
{
    Linked,
    /// <summary>No such service, or one not set up here.</summary>
    NotAvailable,
    /// <summary>The state is not one we began (or it was used already).</summary>
    UnknownState,
    Expired,
    /// <summary>The state was begun by someone other than the person signed in now.</summary>
    OtherPerson,
    /// <summary>The person said no at the provider, or the provider refused the code.</summary>
    Refused,
    /// <summary>The provider did not answer properly; Detail says what happened.</summary>
    Unavailable,
}

public sealed record AuthorizationResult(AuthorizationOutcome Outcome, LinkResult? Link = null, string? Detail = null);

/// <summary>
/// /link for a service a person authorizes rather than names (Spotify): the authorization-code flow with PKCE.
/// Begin stores the request under the hash of a random state, bound to the person, with its code verifier
/// protected; Complete takes it back once, checks it is this person's and fresh, trades the code for tokens
/// (stored protected), reads the person's top and saved tracks (renewing an expired token with the refresh
/// token) and imports them through <see cref="AccountLinker.ImportAsync"/>, as /link lastfm does.
/// </summary>
public sealed partial class AuthorizedLinking(
    IEnumerable<IAuthorizedTasteProvider> providers,
    IAuthorizationStore store,
    ISecretProtector protector,
    AccountLinker linker,
    ITransactions transactions,
    LinkOptions options,
    TimeProvider clock,
    ILogger<AuthorizedLinking> logger)
{
    /// <summary>How long a person has to say yes at the provider.</summary>
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromMinutes(10);

    /// <summary>A token this close to its expiry is renewed before use, so none dies in flight.</summary>
    private static readonly TimeSpan RenewMargin = TimeSpan.FromMinutes(1);

    private readonly List<IAuthorizedTasteProvider> _providers = [.. providers];

    // What the token source (a nested class) needs of this one.
    private TimeProvider Clock => clock;
    private ILogger Logger => logger;
    private IAuthorizationStore Store => store;
    private ISecretProtector Protector => protector;

    public IAuthorizedTasteProvider? Find(string service) =>
        _providers.FirstOrDefault(p => p.Configured && new LinkableService(p.Name, p.DisplayName).IsNamed(service));

    /// <summary>The provider's page to send this person to, or null when the service is not available here.</summary>
    public async Task<Uri?> BeginAsync(long userId, string service, Uri redirectUri, CancellationToken cancellationToken)
    {
        if (Find(service) is not { } provider) return null;
        var state = Pkce.NewState();
        var verifier = Pkce.NewVerifier();
        var now = clock.GetUtcNow();
        await store.BeginAsync(Pkce.Hash(state), new PendingAuthorization(userId, provider.Name, protector.Protect(verifier), now + RequestLifetime), now, cancellationToken)
            .ConfigureAwait(false);
        LogBegun(logger, provider.Name, userId);
        return provider.AuthorizeUri(state, Pkce.Challenge(verifier), redirectUri);
    }

    /// <summary>The provider's redirect back: error (the person declined), or code and the state we sent.</summary>
    public async Task<AuthorizationResult> CompleteAsync(
        long userId, string service, string? state, string? code, string? error, Uri redirectUri, CancellationToken cancellationToken)
    {
        if (Find(service) is not { } provider) return new AuthorizationResult(AuthorizationOutcome.NotAvailable);
        if (!Pkce.LooksLikeState(state)) return new AuthorizationResult(AuthorizationOutcome.UnknownState);
        // Taken before anything else is checked: a state is good for one answer, whatever that answer is.
        var pending = await store.TakeAsync(Pkce.Hash(state!), cancellationToken).ConfigureAwait(false);
        if (pending is null || pending.Provider != provider.Name) return new AuthorizationResult(AuthorizationOutcome.UnknownState);
        if (pending.UserId != userId)
        {
            LogOtherPerson(logger, provider.Name, userId);
            return new AuthorizationResult(AuthorizationOutcome.OtherPerson);
        }
        if (pending.ExpiresAt <= clock.GetUtcNow()) return new AuthorizationResult(AuthorizationOutcome.Expired);
        if (error is not null || string.IsNullOrEmpty(code)) return new AuthorizationResult(AuthorizationOutcome.Refused, Detail: error);
        if (protector.Unprotect(pending.ProtectedVerifier) is not { } verifier) return new AuthorizationResult(AuthorizationOutcome.UnknownState);

        try
        {
            var tokens = await provider.ExchangeAsync(code, verifier, redirectUri, cancellationToken).ConfigureAwait(false);
            using var source = new TokenSource(this, provider, userId, null, tokens);
            var account = await provider.AccountAsync(source, cancellationToken).ConfigureAwait(false);
            source.Account = account;
            await source.SaveAsync(cancellationToken).ConfigureAwait(false);
            return await ImportAsync(provider, userId, account, source, cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataException exception)
        {
            LogFailed(logger, provider.Name, exception.Failure);
            var outcome = exception.Failure is MetadataFailure.Refused or MetadataFailure.InvalidCredentials ? AuthorizationOutcome.Refused : AuthorizationOutcome.Unavailable;
            return new AuthorizationResult(outcome, Detail: exception.Message);
        }
    }

    private async Task<AuthorizationResult> ImportAsync(IAuthorizedTasteProvider provider, long userId, string account, TokenSource source, CancellationToken cancellationToken)
    {
        // The network first, outside the unit of work (which holds the database's write lock).
        var top = await provider.TopTracksAsync(source, options.TopTracks, cancellationToken).ConfigureAwait(false);
        var saved = await provider.SavedTracksAsync(source, options.LovedTracks, cancellationToken).ConfigureAwait(false);
        var described = new LinkableService(provider.Name, provider.DisplayName) { ThroughWeb = true };
        var now = clock.GetUtcNow();
        var result = await transactions.RunAsync((unit, ct) => linker.ImportAsync(unit, userId, described, account, top, saved, now, ct), cancellationToken)
            .ConfigureAwait(false);
        return new AuthorizationResult(AuthorizationOutcome.Linked, result);
    }

    /// <summary>One person's tokens during an import: renewed with the refresh token when expired or refused, and stored again (protected) when renewed.</summary>
    private sealed class TokenSource(AuthorizedLinking owner, IAuthorizedTasteProvider provider, long userId, string? account, AuthorizedTokens tokens) : IAccessTokens, IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private AuthorizedTokens _tokens = tokens;

        public string? Account { get; set; } = account;

        public void Dispose() => _gate.Dispose();

        public async Task<string> CurrentAsync(CancellationToken cancellationToken)
        {
            if (_tokens.ExpiresAt - RenewMargin > owner.Clock.GetUtcNow()) return _tokens.AccessToken;
            return await RenewAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<string> RenewAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_tokens.RefreshToken is not { } refresh)
                {
                    throw new MetadataException(MetadataFailure.Refused, $"{provider.DisplayName} ended this authorization. Say /link {provider.Name} again.");
                }
                var renewed = await provider.RefreshAsync(refresh, cancellationToken).ConfigureAwait(false);
                _tokens = renewed with { RefreshToken = renewed.RefreshToken ?? refresh, Scope = renewed.Scope ?? _tokens.Scope };
                LogRenewed(owner.Logger, provider.Name, userId);
                if (Account is not null) await SaveAsync(cancellationToken).ConfigureAwait(false);
                return _tokens.AccessToken;
            }
            finally
            {
                _gate.Release();
            }
        }

        public Task SaveAsync(CancellationToken cancellationToken) => owner.Store.SaveTokensAsync(userId, provider.Name,
            new StoredTokens(Account!, owner.Protector.Protect(_tokens.AccessToken), _tokens.RefreshToken is { } r ? owner.Protector.Protect(r) : null, _tokens.ExpiresAt, _tokens.Scope),
            owner.Clock.GetUtcNow(), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider}: user {UserId} began an authorization")]
    private static partial void LogBegun(ILogger logger, string provider, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider}: an authorization came back to user {UserId}, who did not begin it; refused")]
    private static partial void LogOtherPerson(ILogger logger, string provider, long userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider}: renewed user {UserId}'s access token with the refresh token")]
    private static partial void LogRenewed(ILogger logger, string provider, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider}: completing an authorization failed: {Failure}")]
    private static partial void LogFailed(ILogger logger, string provider, MetadataFailure failure);
}
