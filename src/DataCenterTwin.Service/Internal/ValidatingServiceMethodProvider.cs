using System.Reflection;
using DataCenterTwin.Service.Services;
using DataCenterTwin.Service.V1;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace DataCenterTwin.Service.Internal;

/// <summary>
/// Binds each service's methods as grpc-dotnet's own binder does (the generated <c>BindService</c>,
/// one open delegate per method), with one difference: a request whose bytes are not a valid
/// message of its type is refused with InvalidArgument and a message naming the type. Without it
/// the protobuf parser's exception escapes the call, the client sees Unknown ("Exception was
/// thrown by handler") and the server logs a stack trace; fuzzing the service found this. And one
/// addition: Streams.StreamTelemetry is bound to <see cref="StreamsService.StreamTelemetryFrames"/>, whose
/// messages are written from frames serialized once for all streams (<see cref="TelemetryWire"/>).
/// </summary>
internal sealed class ValidatingServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var method = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
                method?.Invoke(null, [new Binder(context), null]);
                return;
            }
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Checked(method), Metadata(method.Name), Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            // Telemetry goes out as frames serialized once for every stream: the same method on the wire, with its own response marshaller.
            if (context is ServiceMethodProviderContext<StreamsService> streams && method.Name == nameof(StreamsService.StreamTelemetry)
                && Checked(method) is Method<TelemetryRequest, TelemetryMessage> telemetry)
            {
                streams.AddServerStreamingMethod(
                    new Method<TelemetryRequest, TelemetryWire>(telemetry.Type, telemetry.ServiceName, telemetry.Name, telemetry.RequestMarshaller, TelemetryWire.Marshaller),
                    Metadata(nameof(StreamsService.StreamTelemetryFrames)),
                    (service, request, stream, call) => service.StreamTelemetryFrames(request, stream, call));
                return;
            }

            context.AddServerStreamingMethod(Checked(method), Metadata(method.Name), Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Checked(method), Metadata(method.Name), Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Checked(method), Metadata(method.Name), Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name));

        // The method's implementation on the service type, as an open delegate (the service instance is its first argument).
        private static TDelegate Invoker<TDelegate>(string name)
            where TDelegate : Delegate
        {
            var implementation = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}");
            return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), null, implementation);
        }

        // What grpc-dotnet gives endpoint metadata: the service type's attributes, then the method's.
        private static List<object> Metadata(string name)
        {
            var metadata = new List<object>(typeof(TService).GetCustomAttributes(inherit: true));
            if (typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance) is { } m)
            {
                metadata.AddRange(m.GetCustomAttributes(inherit: true));
            }

            return metadata;
        }

        private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
        {
            var request = method.RequestMarshaller;
            var marshaller = new Marshaller<TRequest>(request.ContextualSerializer, context =>
            {
                try
                {
                    return request.ContextualDeserializer(context);
                }
                catch (InvalidProtocolBufferException ex)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"{method.FullName}: the request is not a valid {typeof(TRequest).Name} message: {ex.Message}"));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
        }
    }
}
