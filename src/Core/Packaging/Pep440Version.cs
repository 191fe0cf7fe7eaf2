using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace PythonEnv.Packaging;

/// <summary>
/// A PEP 440 version: <c>[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]</c>, parsed with every spelling
/// PEP 440 accepts (leading <c>v</c>, <c>alpha</c>/<c>c</c>/<c>pre</c>/<c>rev</c>, separators, implicit
/// numbers, surrounding whitespace). Equality and ordering are PEP 440's: <c>1.0 == 1.0.0</c>,
/// <c>1.0.dev0 &lt; 1.0a0 &lt; 1.0 &lt; 1.0+local &lt; 1.0.post0</c>.
/// </summary>
/// <remarks>
/// Numbers of any size are accepted, as Python accepts them. They are compared exactly; the
/// <see cref="long"/>-typed properties throw <see cref="OverflowException"/> for a number beyond
/// <see cref="long.MaxValue"/>, and <see cref="ReleaseNumbers"/> gives exact values. Instances are
/// immutable and compare fast: each carries a precomputed sort key.
/// </remarks>
public sealed class Pep440Version : IEquatable<Pep440Version>, IComparable<Pep440Version>, IComparable
{
    // Pre-release kinds in sort order; the key uses DevOnly for a bare ".devN" (sorts before any pre)
    // and None for no pre-release (sorts after all of them).
    private const int DevOnly = -1;
    private const int Alpha = 0;
    private const int Beta = 1;
    private const int Candidate = 2;
    private const int NoPre = 3;

    private static readonly string[] PreLabels = { "a", "b", "rc" };

    // Spellings in the order PEP 440's grammar tries them (longer first where one prefixes another).
    private static readonly string[] PreWords = { "alpha", "a", "beta", "b", "preview", "pre", "c", "rc" };
    private static readonly string[] PostWords = { "post", "rev", "r" };
    private static readonly string[] DevWords = { "dev" };


    private readonly BigInteger _epoch;
    private readonly BigInteger[] _release;
    private readonly int _preKind; // Alpha, Beta, Candidate or NoPre
    private readonly BigInteger _preNumber;
    private readonly BigInteger? _post;
    private readonly BigInteger? _dev;
    private readonly string[]? _local; // normalized segments: lowercase, digits without leading zeros

    // Sort key (see BuildKey). Long when every number fits, which is the fast path for comparisons.
    private readonly long[]? _key;
    private BigInteger[]? _bigKey;
    private readonly int _hash;
    private string? _text;
    private IReadOnlyList<long>? _releaseLongs;

    internal Pep440Version(BigInteger epoch, BigInteger[] release, int preKind, BigInteger preNumber, BigInteger? post, BigInteger? dev, string[]? local)
    {
        _epoch = epoch;
        _release = release;
        _preKind = preKind;
        _preNumber = preKind == NoPre ? BigInteger.Zero : preNumber;
        _post = post;
        _dev = dev;
        _local = local is { Length: 0 } ? null : local;
        _key = TryBuildLongKey();
        if (_key is null)
        {
            _bigKey = BuildKey();
            _hash = ComputeHash(_bigKey, _local);
        }
        else
        {
            _hash = ComputeHash(_key, _local);
        }
    }

    /// <summary>The epoch (<c>N!</c>), 0 when absent.</summary>
    public long Epoch => checked((long)_epoch);

    /// <summary>The release numbers, as written (trailing zeros kept): <c>1.0.0</c> is [1, 0, 0].</summary>
    public IReadOnlyList<long> Release => _releaseLongs ??= Array.AsReadOnly(Array.ConvertAll(_release, n => checked((long)n)));

    /// <summary>The release numbers exactly, whatever their size.</summary>
    public IReadOnlyList<BigInteger> ReleaseNumbers => Array.AsReadOnly(_release);

    /// <summary>The pre-release segment (<c>a</c>, <c>b</c> or <c>rc</c> and its number), or null.</summary>
    public PreRelease? Pre => _preKind == NoPre ? null : new PreRelease(PreLabels[_preKind], checked((long)_preNumber));

    /// <summary>The post-release number, or null.</summary>
    public long? Post => _post is { } p ? checked((long)p) : null;

    /// <summary>The development-release number, or null.</summary>
    public long? Dev => _dev is { } d ? checked((long)d) : null;

    /// <summary>The normalized local version label (<c>ubuntu.1</c>), or null.</summary>
    public string? Local => _local is null ? null : string.Join(".", _local);

    /// <summary>First release number.</summary>
    public long Major => Release[0];

    /// <summary>Second release number, 0 when absent.</summary>
    public long Minor => Release.Count > 1 ? Release[1] : 0;

    /// <summary>Third release number, 0 when absent.</summary>
    public long Micro => Release.Count > 2 ? Release[2] : 0;

    /// <summary>A pre-release or a development release (what PEP 440 keeps out of ranges by default).</summary>
    public bool IsPrerelease => _preKind != NoPre || _dev is not null;

    public bool IsPostRelease => _post is not null;

    public bool IsDevRelease => _dev is not null;

    public bool HasLocal => _local is not null;

    /// <summary>This version without its local label.</summary>
    public Pep440Version Public => _local is null ? this : new Pep440Version(_epoch, _release, _preKind, _preNumber, _post, _dev, null);

    /// <summary>Epoch and release only: <c>1!2.0</c> for <c>1!2.0rc1.post2+x</c>.</summary>
    public Pep440Version BaseVersion =>
        _preKind == NoPre && _post is null && _dev is null && _local is null
            ? this
            : new Pep440Version(_epoch, _release, NoPre, BigInteger.Zero, null, null, null);

    internal BigInteger EpochNumber => _epoch;

    internal BigInteger[] ReleaseArray => _release;

    internal BigInteger? PostNumber => _post;

    internal BigInteger? DevNumber => _dev;

    /// <summary>Parses a version; throws <see cref="PackagingFormatException"/> saying where and why it is not PEP 440.</summary>
    public static Pep440Version Parse(string text)
    {
        _ = text ?? throw new ArgumentNullException(nameof(text));
        var parser = new Parser(text);
        return parser.Parse() ?? throw new PackagingFormatException(text, parser.ErrorPosition, parser.Error!);
    }

    /// <summary>Parses a version; returns false instead of throwing when it is not PEP 440.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Pep440Version? version)
    {
        version = text is null ? null : new Parser(text).Parse();
        return version is not null;
    }

    /// <summary>
    /// The canonical text of a version string, as indexes and wheel names compare them: the normalized
    /// form, with trailing zeros of the release removed when <paramref name="stripTrailingZero"/> is set
    /// (<c>1.0.0</c> → <c>1</c>). A string that is not PEP 440 is returned unchanged.
    /// </summary>
    public static string Canonicalize(string text, bool stripTrailingZero = true) =>
        TryParse(text, out var version) ? version.ToCanonicalString(stripTrailingZero) : text;

    /// <summary>The normalized form with the release's trailing zeros optionally removed (at least one number stays).</summary>
    public string ToCanonicalString(bool stripTrailingZero = true)
    {
        if (!stripTrailingZero)
        {
            return ToString();
        }

        var length = _release.Length;
        while (length > 1 && _release[length - 1].IsZero)
        {
            length--;
        }

        return Format(length);
    }

    /// <summary>The PEP 440 normalized form, e.g. <c>1.0rc1.post0.dev2+ubuntu.1</c> for <c>v1.0-C1-0.DEV2+Ubuntu_1</c>.</summary>
    public override string ToString() => _text ??= Format(_release.Length);

    public bool Equals(Pep440Version? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => Equals(obj as Pep440Version);

    public override int GetHashCode() => _hash;

    public int CompareTo(Pep440Version? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        var result = _key is not null && other._key is not null
            ? CompareKeys(_key, other._key)
            : CompareKeys(BigKey(), other.BigKey());
        return result != 0 ? result : CompareLocal(_local, other._local);
    }

    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        Pep440Version v => CompareTo(v),
        _ => throw new ArgumentException("Object is not a Pep440Version.", nameof(obj)),
    };

    public static bool operator ==(Pep440Version? left, Pep440Version? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Pep440Version? left, Pep440Version? right) => !(left == right);

    public static bool operator <(Pep440Version? left, Pep440Version? right) => Compare(left, right) < 0;

    public static bool operator <=(Pep440Version? left, Pep440Version? right) => Compare(left, right) <= 0;

    public static bool operator >(Pep440Version? left, Pep440Version? right) => Compare(left, right) > 0;

    public static bool operator >=(Pep440Version? left, Pep440Version? right) => Compare(left, right) >= 0;

    private static int Compare(Pep440Version? left, Pep440Version? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    /// <summary>Makes a final release from release numbers (used to build range bounds).</summary>
    internal static Pep440Version FromRelease(BigInteger epoch, BigInteger[] release) =>
        new(epoch, release, NoPre, BigInteger.Zero, null, null, null);

    /// <summary>The lowest version with this epoch and release: <c>X.dev0</c>.</summary>
    internal static Pep440Version LowestOf(BigInteger epoch, BigInteger[] release) =>
        new(epoch, release, NoPre, BigInteger.Zero, null, BigInteger.Zero, null);

    internal bool HasPre => _preKind != NoPre;

    /// <summary>
    /// Compares epoch and release only (trailing zeros ignored): 0 when both belong to the same release,
    /// whatever their pre/post/dev/local parts.
    /// </summary>
    internal int CompareRelease(Pep440Version other)
    {
        if (_key is not null && other._key is not null)
        {
            var (a, b) = (_key, other._key);
            for (var i = 0; ; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] < b[i] ? -1 : 1;
                }

                if (i > 0 && a[i] < 0)
                {
                    return 0; // both reached the release terminator
                }
            }
        }

        var (x, y) = (BigKey(), other.BigKey());
        for (var i = 0; ; i++)
        {
            var c = x[i].CompareTo(y[i]);
            if (c != 0)
            {
                return c;
            }

            if (i > 0 && x[i].Sign < 0)
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// The smallest version above this one and all its local variants: the next dev release when
    /// this is one, otherwise the first dev release of the next post release.
    /// </summary>
    internal Pep440Version Successor() =>
        _dev is { } dev
            ? new Pep440Version(_epoch, _release, _preKind, _preNumber, _post, dev + 1, null)
            : new Pep440Version(_epoch, _release, _preKind, _preNumber, _post is { } post ? post + 1 : BigInteger.Zero, BigInteger.Zero, null);

    /// <summary>This public version as its first dev release: <c>1.0.post1</c> → <c>1.0.post1.dev0</c>.</summary>
    internal Pep440Version WithDevZero() => new(_epoch, _release, _preKind, _preNumber, _post, BigInteger.Zero, null);

    /// <summary>The smallest final (non-pre-release) version at or above this one.</summary>
    internal Pep440Version NearestFinalAtOrAbove() =>
        _preKind != NoPre ? FromRelease(_epoch, _release)
        : _dev is not null ? new Pep440Version(_epoch, _release, NoPre, BigInteger.Zero, _post, null, null)
        : this;

    /// <summary>The release with its last number incremented, as a first dev release: <c>1.2</c> → <c>1.3.dev0</c>.</summary>
    internal static Pep440Version NextPrefixDevZero(BigInteger epoch, BigInteger[] release, int length)
    {
        var next = new BigInteger[length];
        Array.Copy(release, next, length);
        next[length - 1] += 1;
        return LowestOf(epoch, next);
    }

    /// <summary>True for <c>X.dev0</c> with no pre, post or local part (the bound <c>&lt;X</c> produces).</summary>
    internal bool IsDevZeroOfRelease => _preKind == NoPre && _post is null && _local is null && _dev is { IsZero: true };

    /// <summary>The first version after this pre-release and its post releases: <c>1.0a1</c> → <c>1.0a2.dev0</c>.</summary>
    internal Pep440Version NextPreDevZero() => new(_epoch, _release, _preKind, _preNumber + 1, null, BigInteger.Zero, null);

    /// <summary>This version without its dev part or local label.</summary>
    internal Pep440Version WithoutDev() => new(_epoch, _release, _preKind, _preNumber, _post, null, null);

    /// <summary>The smallest final version: <c>0</c>.</summary>
    internal static readonly Pep440Version Zero = FromRelease(BigInteger.Zero, new[] { BigInteger.Zero });

    /// <summary>The smallest version there is: <c>0.dev0</c>.</summary>
    internal static readonly Pep440Version Minimum = LowestOf(BigInteger.Zero, new[] { BigInteger.Zero });

    private string Format(int releaseLength)
    {
        var builder = new StringBuilder();
        if (!_epoch.IsZero)
        {
            builder.Append(_epoch.ToString()).Append('!');
        }

        for (var i = 0; i < releaseLength; i++)
        {
            if (i > 0)
            {
                builder.Append('.');
            }

            builder.Append(_release[i].ToString());
        }

        if (_preKind != NoPre)
        {
            builder.Append(PreLabels[_preKind]).Append(_preNumber.ToString());
        }

        if (_post is { } post)
        {
            builder.Append(".post").Append(post.ToString());
        }

        if (_dev is { } dev)
        {
            builder.Append(".dev").Append(dev.ToString());
        }

        if (_local is not null)
        {
            builder.Append('+').Append(string.Join(".", _local));
        }

        return builder.ToString();
    }

    // The sort key, compared element by element: epoch; release without trailing zeros, then -1 (a
    // shorter release is smaller); pre kind and number (a bare dev release sorts before any pre);
    // post (-1 when absent); dev (present 0, absent 1, so no dev sorts last) and its number.
    private BigInteger[] BuildKey()
    {
        var length = _release.Length;
        while (length > 0 && _release[length - 1].IsZero)
        {
            length--;
        }

        var key = new BigInteger[length + 7];
        key[0] = _epoch;
        Array.Copy(_release, 0, key, 1, length);
        var i = length + 1;
        key[i++] = BigInteger.MinusOne;
        key[i++] = _preKind == NoPre && _post is null && _dev is not null ? DevOnly : _preKind;
        key[i++] = _preNumber;
        key[i++] = _post ?? BigInteger.MinusOne;
        key[i++] = _dev is null ? BigInteger.One : BigInteger.Zero;
        key[i] = _dev ?? BigInteger.Zero;
        return key;
    }

    private BigInteger[] BigKey() => _bigKey ??= Array.ConvertAll(_key!, n => new BigInteger(n));

    // The same key on longs, or null when some number does not fit (the fast path for comparisons).
    private long[]? TryBuildLongKey()
    {
        var length = _release.Length;
        while (length > 0 && _release[length - 1].IsZero)
        {
            length--;
        }

        var key = new long[length + 7];
        if (!TryLong(_epoch, out key[0]))
        {
            return null;
        }

        for (var r = 0; r < length; r++)
        {
            if (!TryLong(_release[r], out key[r + 1]))
            {
                return null;
            }
        }

        var i = length + 1;
        key[i++] = -1;
        key[i++] = _preKind == NoPre && _post is null && _dev is not null ? DevOnly : _preKind;
        if (!TryLong(_preNumber, out key[i++]))
        {
            return null;
        }

        if (_post is { } post)
        {
            if (!TryLong(post, out key[i++]))
            {
                return null;
            }
        }
        else
        {
            key[i++] = -1;
        }

        key[i++] = _dev is null ? 1 : 0;
        if (_dev is { } dev && !TryLong(dev, out key[i]))
        {
            return null;
        }

        return key;
    }

    private static bool TryLong(BigInteger n, out long value)
    {
        if (n.CompareTo(long.MaxValue) <= 0)
        {
            value = (long)n;
            return true;
        }

        value = 0;
        return false;
    }

    private static int ComputeHash(long[] key, string[]? local)
    {
        unchecked
        {
            var hash = 17;
            foreach (var n in key)
            {
                hash = (hash * 31) + n.GetHashCode();
            }

            return AddLocalHash(hash, local);
        }
    }

    // Only for keys with a number beyond 64 bits; such versions never equal one with a long key.
    private static int ComputeHash(BigInteger[] key, string[]? local)
    {
        unchecked
        {
            var hash = 17;
            foreach (var n in key)
            {
                hash = (hash * 31) + n.GetHashCode();
            }

            return AddLocalHash(hash, local);
        }
    }

    private static int AddLocalHash(int hash, string[]? local)
    {
        unchecked
        {
            if (local is not null)
            {
                foreach (var segment in local)
                {
                    hash = (hash * 31) + StringComparer.Ordinal.GetHashCode(segment);
                }
            }

            return hash;
        }
    }

    private static int CompareKeys(long[] left, long[] right)
    {
        var n = Math.Min(left.Length, right.Length);
        for (var i = 0; i < n; i++)
        {
            if (left[i] != right[i])
            {
                return left[i] < right[i] ? -1 : 1;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static int CompareKeys(BigInteger[] left, BigInteger[] right)
    {
        var n = Math.Min(left.Length, right.Length);
        for (var i = 0; i < n; i++)
        {
            var c = left[i].CompareTo(right[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    // No local sorts first; segment by segment, numbers compare numerically and above any letters,
    // letters compare as text; a label that is a prefix of another sorts first.
    private static int CompareLocal(string[]? left, string[]? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }

        var n = Math.Min(left.Length, right.Length);
        for (var i = 0; i < n; i++)
        {
            var a = left[i];
            var b = right[i];
            var aNumeric = IsAllDigits(a);
            var bNumeric = IsAllDigits(b);
            int c;
            if (aNumeric && bNumeric)
            {
                // Digits without leading zeros: longer is larger, same length compares as text.
                c = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
            }
            else if (aNumeric != bNumeric)
            {
                c = aNumeric ? 1 : -1;
            }
            else
            {
                c = string.CompareOrdinal(a, b);
            }

            if (c != 0)
            {
                return c < 0 ? -1 : 1;
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsAllDigits(string s)
    {
        foreach (var c in s)
        {
            if (!IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsSeparator(char c) => c is '.' or '-' or '_';

    /// <summary>Whitespace as Python's <c>str.isspace</c> sees it (it also counts U+001C..U+001F).</summary>
    internal static bool IsPythonWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    /// <summary>
    /// A hand-written scanner for PEP 440's permissive grammar (the regex in its appendix). Each optional
    /// separator is only consumed when the part it introduces follows, which gives the regex's results
    /// without backtracking.
    /// </summary>
    private struct Parser
    {
        private readonly string _text;
        private readonly int _end;
        private int _pos;

        public Parser(string text)
        {
            _text = text;
            _pos = 0;
            _end = text.Length;
            Error = null;
            ErrorPosition = 0;
        }

        public string? Error { get; private set; }

        public int ErrorPosition { get; private set; }

        public Pep440Version? Parse()
        {
            while (_pos < _end && IsPythonWhiteSpace(_text[_pos]))
            {
                _pos++;
            }

            var end = _end;
            while (end > _pos && IsPythonWhiteSpace(_text[end - 1]))
            {
                end--;
            }

            if (_pos == end)
            {
                return Fail(_pos, "a version cannot be empty");
            }

            return ParseCore(end);
        }

        private Pep440Version? ParseCore(int end)
        {
            if (_text[_pos] is 'v' or 'V')
            {
                _pos++;
            }

            if (_pos >= end || !IsDigit(_text[_pos]))
            {
                return Fail(_pos, "a version must start with a number");
            }

            var epoch = BigInteger.Zero;
            var first = ReadNumber(end);
            if (_pos < end && _text[_pos] == '!')
            {
                epoch = first;
                _pos++;
                if (_pos >= end || !IsDigit(_text[_pos]))
                {
                    return Fail(_pos, "expected a release number after the epoch '!'");
                }

                first = ReadNumber(end);
            }

            var release = new BigInteger[4];
            release[0] = first;
            var count = 1;
            while (_pos + 1 < end && _text[_pos] == '.' && IsDigit(_text[_pos + 1]))
            {
                _pos++;
                if (count == release.Length)
                {
                    Array.Resize(ref release, count * 2);
                }

                release[count++] = ReadNumber(end);
            }

            if (count != release.Length)
            {
                Array.Resize(ref release, count);
            }

            var preKind = NoPre;
            var preNumber = BigInteger.Zero;
            var start = SkipSeparator(end);
            var label = MatchWord(start, end, PreWords);
            if (label >= 0)
            {
                preKind = label switch { 0 or 1 => Alpha, 2 or 3 => Beta, _ => Candidate };
                preNumber = ReadOptionalNumber(end);
            }

            BigInteger? post = null;
            if (_pos + 1 < end && _text[_pos] == '-' && IsDigit(_text[_pos + 1]))
            {
                _pos++;
                post = ReadNumber(end);
            }
            else
            {
                start = SkipSeparator(end);
                if (MatchWord(start, end, PostWords) >= 0)
                {
                    post = ReadOptionalNumber(end);
                }
            }

            BigInteger? dev = null;
            start = SkipSeparator(end);
            if (MatchWord(start, end, DevWords) >= 0)
            {
                dev = ReadOptionalNumber(end);
            }

            string[]? local = null;
            if (_pos < end && _text[_pos] == '+')
            {
                _pos++;
                local = ReadLocal(end);
                if (local is null)
                {
                    return null;
                }
            }

            if (_pos < end)
            {
                var at = _pos + 1 < end && IsSeparator(_text[_pos]) && _text[_pos + 1] == '*' ? _pos + 1 : _pos;
                return Fail(at, Unexpected(_text[at]));
            }

            return new Pep440Version(epoch, release, preKind, preNumber, post, dev, local);
        }

        private string Unexpected(char c)
        {
            if (IsPythonWhiteSpace(c))
            {
                return "whitespace is not allowed inside a version";
            }

            if (c == '+')
            {
                return "a local version label must be a single '+' followed by letters, digits and '.', '-' or '_'";
            }

            if (IsSeparator(c))
            {
                return $"'{c}' must be followed by a number, 'a', 'b', 'rc', 'post' or 'dev'";
            }

            return c is '*' ? "a wildcard ('*') is only allowed in '==' and '!=' specifiers, not in a version" : $"unexpected character '{c}' in version";
        }

        /// <summary>Position after an optional separator (not consumed yet).</summary>
        private readonly int SkipSeparator(int end) => _pos < end && IsSeparator(_text[_pos]) ? _pos + 1 : _pos;

        /// <summary>
        /// Index of the first word (case-insensitive) found at <paramref name="start"/>, consuming it and
        /// the separator before it; -1 (nothing consumed) when none matches.
        /// </summary>
        private int MatchWord(int start, int end, string[] words)
        {
            for (var w = 0; w < words.Length; w++)
            {
                var word = words[w];
                if (end - start < word.Length)
                {
                    continue;
                }

                var matched = true;
                for (var i = 0; i < word.Length && matched; i++)
                {
                    var c = _text[start + i];
                    matched = (c is >= 'A' and <= 'Z' ? (char)(c + 32) : c) == word[i];
                }

                if (matched)
                {
                    _pos = start + word.Length;
                    return w;
                }
            }

            return -1;
        }

        /// <summary>After a label: an optional separator then an optional number (implicitly 0).</summary>
        private BigInteger ReadOptionalNumber(int end)
        {
            var start = SkipSeparator(end);
            if (start < end && IsDigit(_text[start]))
            {
                _pos = start;
                return ReadNumber(end);
            }

            // A trailing separator with no number is part of the label in PEP 440's grammar.
            _pos = start;
            return BigInteger.Zero;
        }

        private BigInteger ReadNumber(int end)
        {
            var start = _pos;
            while (_pos < end && IsDigit(_text[_pos]))
            {
                _pos++;
            }

            return ParseDigits(_text, start, _pos);
        }

        private string[]? ReadLocal(int end)
        {
            var segments = new List<string>();
            while (true)
            {
                var start = _pos;
                var allDigits = true;
                while (_pos < end && (IsDigit(_text[_pos]) || IsAsciiLetter(_text[_pos])))
                {
                    allDigits &= IsDigit(_text[_pos]);
                    _pos++;
                }

                if (_pos == start)
                {
                    Fail(_pos, "a local version label needs letters or digits between separators");
                    return null;
                }

                segments.Add(allDigits ? ParseDigits(_text, start, _pos).ToString() : _text.Substring(start, _pos - start).ToLowerInvariant());
                if (_pos < end && IsSeparator(_text[_pos]))
                {
                    _pos++;
                    continue;
                }

                return segments.ToArray();
            }
        }

        private Pep440Version? Fail(int position, string reason)
        {
            Error = reason;
            ErrorPosition = position;
            return null;
        }
    }

    /// <summary>Decimal digits to a number; stays on longs unless it truly needs more.</summary>
    internal static BigInteger ParseDigits(string text, int start, int end)
    {
        while (start < end - 1 && text[start] == '0')
        {
            start++;
        }

        if (end - start <= 18)
        {
            long value = 0;
            for (var i = start; i < end; i++)
            {
                value = (value * 10) + (text[i] - '0');
            }

            return new BigInteger(value);
        }

        return BigInteger.Parse(text.Substring(start, end - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A pre-release segment: label <c>a</c>, <c>b</c> or <c>rc</c> and its number.</summary>
public readonly record struct PreRelease(string Label, long Number)
{
    public override string ToString() => Label + Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
