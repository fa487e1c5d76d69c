return await EventSourcedDisclosure.Cli.CliApp.RunAsync(args, Console.Out);
