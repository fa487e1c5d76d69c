namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// JSON already serialized, sent whole with its Content-Length. A command's answer streamed by
/// the serializer went out chunked, its closing chunk in a send of its own: a second packet, and a
/// second wake-up for the client, after every command. (Results.Text would copy the bytes once more.)
/// </summary>
internal sealed class SizedJsonResult(byte[] body, int status) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int? StatusCode => status;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType;
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
