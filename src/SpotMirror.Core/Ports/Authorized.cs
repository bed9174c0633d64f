namespace SpotMirror.Core.Ports;

/// <summary>What an authorization server gave for a person: the access token, the refresh token (if any), when the access token dies, the scopes granted.</summary>
public sealed record AuthorizedTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string? Scope);

/// <summary>
/// A person's access token as a provider call needs it: the current one (renewed first when it has expired),
/// and a renewal for when the provider refuses the current one anyway.
/// </summary>
public interface IAccessTokens
{
    Task<string> CurrentAsync(CancellationToken cancellationToken);

    Task<string> RenewAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A provider whose taste a person shares by authorizing this app (OAuth 2.0 authorization code with PKCE)
/// rather than by naming an account: Spotify. Its top and saved tracks are what /link imports.
/// </summary>
public interface IAuthorizedTasteProvider
{
    /// <summary>The short name kept with its tracks and links ("spotify").</summary>
    string Name { get; }

    string DisplayName { get; }

    /// <summary>True when the app is set up to ask (a client id is configured).</summary>
    bool Configured { get; }

    /// <summary>The provider's authorization page for this request: state and the S256 code challenge travel with it.</summary>
    Uri AuthorizeUri(string state, string codeChallenge, Uri redirectUri);

    /// <summary>Trades the code the person's browser brought back for tokens, proving the request with its code verifier.</summary>
    Task<AuthorizedTokens> ExchangeAsync(string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken);

    /// <summary>A new access token from the refresh token (the answer may carry a new refresh token too).</summary>
    Task<AuthorizedTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken);

    /// <summary>The person's account name there.</summary>
    Task<string> AccountAsync(IAccessTokens tokens, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProviderTrack>> TopTracksAsync(IAccessTokens tokens, int limit, CancellationToken cancellationToken);

    /// <summary>The tracks the person saved (liked) there, newest first: what loved tracks are on Last.fm.</summary>
    Task<IReadOnlyList<ProviderTrack>> SavedTracksAsync(IAccessTokens tokens, int limit, CancellationToken cancellationToken);
}

/// <summary>Encrypts secrets kept at rest (a person's tokens); what it protects can only be read back by this installation's keys.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>The secret; null when the text cannot be read back (other keys, tampered).</summary>
    string? Unprotect(string protectedSecret);
}

/// <summary>A person's stored tokens for a provider, as protected text.</summary>
public sealed record StoredTokens(string Account, string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string? Scope);

/// <summary>A started authorization: whose it is, for which provider, its protected code verifier, until when it may complete.</summary>
public sealed record PendingAuthorization(long UserId, string Provider, string ProtectedVerifier, DateTimeOffset ExpiresAt);

/// <summary>Authorizations in flight (keyed by the hash of their state, single use) and the tokens they ended in.</summary>
public interface IAuthorizationStore
{
    Task BeginAsync(string stateHash, PendingAuthorization pending, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The authorization this state began, removed so it cannot be completed twice; null when unknown or already taken.</summary>
    Task<PendingAuthorization?> TakeAsync(string stateHash, CancellationToken cancellationToken);

    Task SaveTokensAsync(long userId, string provider, StoredTokens tokens, DateTimeOffset at, CancellationToken cancellationToken);

    Task<StoredTokens?> TokensAsync(long userId, string provider, CancellationToken cancellationToken);

    /// <summary>Deletes the person's tokens for one provider (or all when provider is null), in the unit of work that unlinks.</summary>
    Task DeleteTokensAsync(IUnitOfWork unit, long userId, string? provider, CancellationToken cancellationToken);
}
