using SpotMirror.Worker.Cli;

return await Verbs.InvokeAsync(args, CliConsole.Process(), CancellationToken.None).ConfigureAwait(false);
