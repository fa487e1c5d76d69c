// A killed esd stops the cluster it started (docs/event-store.md); in-process callers (tests) do not need it.
using var stopClusters = EventSourcedDisclosure.EventStore.Embedded.EmbeddedPostgres.StopOnTermination();
return await EventSourcedDisclosure.Cli.CliApp.RunAsync(args, Console.Out);
