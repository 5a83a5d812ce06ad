using System.Globalization;
using DataCenterTwin.Render;
using DataCenterTwin.Service.Services;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// The web page of <c>dctwin serve</c> and the small HTTP JSON API it calls. Every API endpoint
/// stands for one gRPC method: it checks the caller's token for that method (viewers read, operators
/// steer), then calls the same service code with the request parsed from protobuf JSON, so the page
/// and a gRPC client cannot disagree. The page's scripts, styles and font come from this process
/// (embedded resources and assets/): it works with no network.
/// </summary>
internal static class WebEndpoints
{
    private const string Api = "/datacentertwin.v1.";

    // How long a frame request with ?after= waits for a newer frame before answering with the same one.
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(5);

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", http => Page(http, "index.html"));
        app.MapGet("/sessions/{id}", http => Page(http, "session.html"));
        app.MapGet("/web/{file}", WebFile);

        Get(app, "/api/sessions", http => Call(http, "Sessions/ListSessions", s => Sessions(s).ListSessions(new ListSessionsRequest(), Context(http, "Sessions/ListSessions"))));
        Get(app, "/api/sessions/{id}", http => Call(http, "Sessions/GetSession", s => Sessions(s).GetSession(new SessionRef { SessionId = Id(http) }, Context(http, "Sessions/GetSession"))));
        Get(app, "/api/sessions/{id}/topology", http => Call(http, "State/GetTopology", s => new StateService(Registry(s)).GetTopology(new SessionRef { SessionId = Id(http) }, Context(http, "State/GetTopology"))));
        Get(app, "/api/sessions/{id}/snapshot", http =>
        {
            var request = new SnapshotRequest { SessionId = Id(http) };
            request.FieldMask = new Google.Protobuf.WellKnownTypes.FieldMask();
            request.FieldMask.Paths.Add(((string?)http.Request.Query["parts"] ?? "facility,plant").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return Call(http, "State/GetSnapshot", s => new StateService(Registry(s)).GetSnapshot(request, Context(http, "State/GetSnapshot")));
        });
        Get(app, "/api/sessions/{id}/frame", Frame);

        Post(app, "/api/sessions/{id}/start", http => Call(http, "RunControl/Start", s => new RunControlService(Registry(s)).Start(new SessionRef { SessionId = Id(http) }, Context(http, "RunControl/Start"))));
        Post(app, "/api/sessions/{id}/pause", http => Call(http, "RunControl/Pause", s => new RunControlService(Registry(s)).Pause(new SessionRef { SessionId = Id(http) }, Context(http, "RunControl/Pause"))));
        Post(app, "/api/sessions/{id}/step", http => CallWithBody<StepRequest, SessionInfo>(http, "RunControl/Step", (s, r) => new RunControlService(Registry(s)).Step(r, Context(http, "RunControl/Step"))));
        Post(app, "/api/sessions/{id}/pacing", http => CallWithBody<SetPacingRequest, SessionInfo>(http, "RunControl/SetPacing", (s, r) => new RunControlService(Registry(s)).SetPacing(r, Context(http, "RunControl/SetPacing"))));
        Post(app, "/api/sessions/{id}/control", http => CallWithBody<ControlRequest, ControlReply>(http, "Controls/ApplyControl", (s, r) => new ControlsService(Registry(s)).ApplyControl(r, Context(http, "Controls/ApplyControl"))));
        Post(app, "/api/sessions/{id}/event", http => CallWithBody<EventRequest, ControlReply>(http, "Controls/InjectEvent", (s, r) => new ControlsService(Registry(s)).InjectEvent(r, Context(http, "Controls/InjectEvent"))));
    }

    private static void Get(IEndpointRouteBuilder app, string pattern, Func<HttpContext, Task> handler) => app.MapGet(pattern, new RequestDelegate(handler));

    private static void Post(IEndpointRouteBuilder app, string pattern, Func<HttpContext, Task> handler) => app.MapPost(pattern, new RequestDelegate(handler));

    private static SessionRegistry Registry(IServiceProvider s) => s.GetRequiredService<SessionRegistry>();

    private static SessionsService Sessions(IServiceProvider s) => new(Registry(s));

    private static string Id(HttpContext http) => (string?)http.Request.RouteValues["id"] ?? "";

    private static WebCallContext Context(HttpContext http, string method) => new(http, Api + method);

    private static async Task Call<TReply>(HttpContext http, string method, Func<IServiceProvider, Task<TReply>> call)
        where TReply : IMessage
    {
        if (!await Authorised(http, method).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var reply = await call(http.RequestServices).ConfigureAwait(false);
            await Json(http, StatusCodes.Status200OK, Formatter.Format(reply)).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            await Error(http, ex.StatusCode, ex.Status.Detail).ConfigureAwait(false);
        }
    }

    private static async Task CallWithBody<TRequest, TReply>(HttpContext http, string method, Func<IServiceProvider, TRequest, Task<TReply>> call)
        where TRequest : IMessage<TRequest>, new()
        where TReply : IMessage
    {
        if (!await Authorised(http, method).ConfigureAwait(false))
        {
            return;
        }

        TRequest request;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            string body = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
            request = body.Trim().Length == 0 ? new TRequest() : Parser.Parse<TRequest>(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            await Error(http, StatusCode.InvalidArgument, $"the body is not a {typeof(TRequest).Name} in protobuf JSON: {ex.Message}").ConfigureAwait(false);
            return;
        }
        catch (InvalidJsonException ex)
        {
            await Error(http, StatusCode.InvalidArgument, $"the body is not JSON: {ex.Message}").ConfigureAwait(false);
            return;
        }

        // The session is the one in the address.
        var idField = request.Descriptor.FindFieldByName("session_id");
        idField?.Accessor.SetValue(request, Id(http));
        await Call(http, method, s => call(s, request)).ConfigureAwait(false);
    }

    // GET /api/sessions/{id}/frame?width=&height=&format=png|jpeg&quality=&camera=&colorBy=&orbit=&after=
    // With after=V it waits (up to LongPoll) for a frame other than version V: the page's fetch loop
    // then asks again at once and gets a frame each time the state changes, and none in between.
    private static async Task Frame(HttpContext http)
    {
        if (!await Authorised(http, "Frames/GetFrame").ConfigureAwait(false))
        {
            return;
        }

        var q = http.Request.Query;
        FrameRequest request;
        ulong after;
        try
        {
            request = new FrameRequest
            {
                SessionId = Id(http),
                Width = Int(q, "width"),
                Height = Int(q, "height"),
                Format = ((string?)q["format"] ?? "png").ToLowerInvariant() switch
                {
                    "png" => FrameFormat.Png,
                    "jpeg" or "jpg" => FrameFormat.Jpeg,
                    var f => throw new ArgumentException($"format: \"{f}\" is not png or jpeg"),
                },
                JpegQuality = Int(q, "quality"),
                Camera = (string?)q["camera"] ?? "",
                ColorBy = (string?)q["colorBy"] ?? "",
                OrbitDeg = Double(q, "orbit"),
            };
            after = q.ContainsKey("after") ? ulong.Parse((string?)q["after"] ?? "", NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            await Error(http, StatusCode.InvalidArgument, ex.Message).ConfigureAwait(false);
            return;
        }

        var service = new FramesService(Registry(http.RequestServices));
        var context = Context(http, "Frames/GetFrame");
        try
        {
            var frame = await service.GetFrame(request, context).ConfigureAwait(false);
            long deadline = Environment.TickCount64 + (long)LongPoll.TotalMilliseconds;
            while (after != 0 && frame.Version == after && Environment.TickCount64 < deadline)
            {
                await Task.Delay(50, http.RequestAborted).ConfigureAwait(false);
                frame = await service.GetFrame(request, context).ConfigureAwait(false);
            }

            http.Response.ContentType = frame.ContentType;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["X-Frame-Version"] = frame.Version.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-Sim-Time-S"] = frame.SimTimeS.ToString("R", CultureInfo.InvariantCulture);
            http.Response.Headers["X-Render-Ms"] = frame.RenderMs.ToString("F1", CultureInfo.InvariantCulture);
            http.Response.Headers["X-Encode-Ms"] = frame.EncodeMs.ToString("F1", CultureInfo.InvariantCulture);
            await http.Response.Body.WriteAsync(frame.Data.Memory, http.RequestAborted).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            await Error(http, ex.StatusCode, ex.Status.Detail).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
        }

        static int Int(IQueryCollection q, string key) =>
            q.TryGetValue(key, out var v) ? int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n
                : throw new ArgumentException($"{key}: \"{v}\" is not a whole number") : 0;

        static double Double(IQueryCollection q, string key) =>
            q.TryGetValue(key, out var v) ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw new ArgumentException($"{key}: \"{v}\" is not a number") : 0;
    }

    private static async Task<bool> Authorised(HttpContext http, string method)
    {
        var options = http.RequestServices.GetRequiredService<ServerOptions>();
        if (AuthInterceptor.Refusal(options, Api + method, http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null) is not { } refusal)
        {
            return true;
        }

        await Error(http, refusal.StatusCode, refusal.Detail).ConfigureAwait(false);
        return false;
    }

    private static Task Error(HttpContext http, StatusCode code, string message)
    {
        int status = code switch
        {
            StatusCode.InvalidArgument or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
            StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
            StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
            StatusCode.NotFound => StatusCodes.Status404NotFound,
            StatusCode.FailedPrecondition or StatusCode.AlreadyExists => StatusCodes.Status409Conflict,
            StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
            StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
        var json = JsonObject(("code", code.ToString()), ("error", message));
        return Json(http, status, json);
    }

    private static async Task Json(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }

    private static Task Page(HttpContext http, string name) => Embedded(http, name);

    // /web/app.js, app.css (embedded) and the overlay's font (assets/fonts, the file the renderer uses).
    private static async Task WebFile(HttpContext http)
    {
        string file = (string?)http.Request.RouteValues["file"] ?? "";
        if (file == "DejaVuSans.ttf")
        {
            string path;
            try
            {
                path = Path.Combine(RenderAssets.Directory(), "fonts", file);
            }
            catch (RenderException ex)
            {
                await Error(http, StatusCode.NotFound, ex.Message).ConfigureAwait(false);
                return;
            }

            http.Response.ContentType = "font/ttf";
            await http.Response.SendFileAsync(path, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        await Embedded(http, file).ConfigureAwait(false);
    }

    private static async Task Embedded(HttpContext http, string name)
    {
        using var stream = typeof(WebEndpoints).Assembly.GetManifestResourceStream("web/" + name);
        if (stream is null)
        {
            await Error(http, StatusCode.NotFound, $"no page or file \"{name}\"").ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "application/octet-stream",
        };
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
    }

    // String fields as a JSON object, escaped by System.Text.Json's writer.
    private static string JsonObject(params (string Key, string Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in fields)
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
