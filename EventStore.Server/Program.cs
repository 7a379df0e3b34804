using ServerlessEventStore.Server.Hosting;

return EventStoreServerHost.Run(args);
