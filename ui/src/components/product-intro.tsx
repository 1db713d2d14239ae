/** The product's name and what it is, in one sentence: the first thing on the sign-in and sign-up pages. */
export function ProductIntro() {
  return (
    <div class="product">
      <span class="brand"><span class="mark" aria-hidden="true">▲</span>FastAPI Platform</span>
      <p>Write FastAPI or FastHTML apps in your browser and run each one at its own address in seconds, with its own database.</p>
    </div>
  );
}
