// The package ships no types: families of the Prometheus text format, as its README shows them.
declare module 'parse-prometheus-text-format' {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
