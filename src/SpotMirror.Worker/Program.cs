using SpotMirror.Worker.Cli;

return await Verbs.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
