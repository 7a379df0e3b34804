using EventStore.Server.Hosting;

return EventStoreServerHost.Run(args);
