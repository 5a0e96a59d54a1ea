package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.rest.AdminServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The dashboard at {@code /ui/} in a real headless Chromium against a daemon on an H2 store, over
 * real sockets: counts and their changes, the finishing rate, the worker tree with its leased
 * units, a refused change without the token, pause and resume with it, a failure's traceback and
 * its retry, and the banner while the daemon is away. Each step is checked through the API too.
 *
 * <p>It needs the system Chromium and its driver ({@value #CHROMIUM}, {@value #CHROMEDRIVER};
 * Debian: {@code apt-get install chromium chromium-driver}). Without them it is skipped, unless
 * {@code COORDINATE_TEST_BROWSER=required} (as in CI), when it fails. A screenshot of the page is
 * left in {@code target/dashboard.png}.
 */
@Timeout(180)
class DashboardBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** Set to {@code required} to fail, not skip, when there is no browser. */
  static final String REQUIRE_VARIABLE = "COORDINATE_TEST_BROWSER";

  private static final String TOKEN = "dashboard-test-token";
  /** Long enough for a few refreshes of the page (every 2 s), short of hiding a hang. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private Coordinated.Running daemon;
  private final List<AdminServer> extraServers = new ArrayList<>();
  private ChromeDriverService service;
  private WebDriver browser;

  /** Skips, or fails when a browser is required, if Chromium or its driver is missing. */
  static void assumeBrowser() {
    boolean present = Files.isExecutable(Path.of(CHROMIUM))
        && Files.isExecutable(Path.of(CHROMEDRIVER));
    String why = "needs " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install chromium chromium-driver)";
    if ("required".equals(System.getenv(REQUIRE_VARIABLE))) {
      assertThat(present).as(REQUIRE_VARIABLE + "=required, but the dashboard test " + why)
          .isTrue();
    }
    Assumptions.assumeTrue(present, "skipped: the dashboard test " + why + "; set "
        + REQUIRE_VARIABLE + "=required to make this a failure");
  }

  /** Headless Chromium with a fresh profile, driven by the system driver: no download, ever. */
  static ChromeOptions chromeOptions(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    return options;
  }

  static ChromeDriverService driverService() {
    // Naming the driver keeps Selenium Manager from looking for one on the network.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
    return new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
        .usingAnyFreePort()
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    assumeBrowser();
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    Coordinated coordinated = new Coordinated();
    new CommandLine(coordinated).parseArgs(
        "--backend", dir.resolve("store").toString(),
        "--cborrpc", "127.0.0.1:0",
        "--http", "127.0.0.1:0",
        "--admin-token-file", tokenFile.toString());
    daemon = coordinated.start();
    service = driverService();
    browser = new ChromeDriver(service, chromeOptions(dir.resolve("profile")));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    extraServers.forEach(AdminServer::close);
    if (daemon != null) {
      daemon.stop();
    }
  }

  @Test
  void showsTheQueueAndDrivesItsControls() throws Exception {
    int port = daemon.admin().port();
    Namespace ns = daemon.coordinate().namespace("");
    WorkSpec fetch = ns.setWorkSpec(Map.of("name", "fetch"));
    List<NewWorkUnit> pages = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      pages.add(NewWorkUnit.of("https://example.com/page/" + i, Map.of()));
    }
    fetch.addWorkUnits(pages);
    // A name that needs percent-encoding in a path, and a key that is not UTF-8.
    WorkSpec parse = ns.setWorkSpec(Map.of("name", "parse/html"));
    WorkUnitKey badKey = WorkUnitKey.of(new byte[] {(byte) 0xff, 0, (byte) 0x80});
    parse.addWorkUnits(List.of(NewWorkUnit.of(badKey, Map.of()),
        NewWorkUnit.of("page-2", Map.of())));

    Worker supervisor = ns.worker("supervisor");
    supervisor.heartbeat("run", Map.of(), Duration.ofMinutes(5));
    Worker worker = ns.worker("worker-1");
    worker.heartbeat("run", Map.of(), Duration.ofMinutes(5));
    worker.setParent(supervisor);

    browser.get("http://127.0.0.1:" + port + "/ui");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/");
    waitFor("the counts of fetch", () -> count("fetch", "available") == 40);
    assertThat(count("fetch", "finished")).isZero();
    assertThat(count("parse/html", "available")).isEqualTo(2);
    assertThat(text(specRow("parse/html"), By.cssSelector("td.name"))).isEqualTo("parse/html");
    assertThat(specRow("fetch").findElement(By.cssSelector("[data-field=state]")).getText())
        .isEqualTo("running");

    // The worker finishes five units: the page's count follows, and the rate shows them.
    for (Attempt a : worker.requestAttempts(AttemptRequest.of(5).withWorkSpecs("fetch"))) {
      a.finish(Map.of());
    }
    waitFor("5 finished", () -> count("fetch", "finished") == 5);
    assertThat(count("fetch", "available")).isEqualTo(35);
    waitFor("a finishing rate", () -> rate("fetch") > 0);
    assertThat(text(specRow("fetch"), By.cssSelector("[data-field=done]"))).isEqualTo("12.5% done");

    // Leased units show under their worker, in the tree under its parent.
    List<Attempt> held = worker.requestAttempts(AttemptRequest.of(2).withWorkSpecs("fetch"));
    assertThat(held).hasSize(2);
    By heldUnits = By.cssSelector(
        "[data-worker=supervisor] [data-worker=worker-1] [data-attempt][data-spec=fetch]");
    waitFor("worker-1's two attempts", () -> browser.findElements(heldUnits).size() == 2);
    assertThat(browser.findElements(heldUnits))
        .extracting(e -> e.findElement(By.cssSelector(".key")).getText())
        .containsExactlyInAnyOrder(
            held.get(0).workUnit().key().toUtf8(),
            held.get(1).workUnit().key().toUtf8());

    // A failure shows with its traceback, as text (markup in it stays text).
    String traceback = "Traceback (most recent call last):\n"
        + "  File \"parse.py\", line 12, in <module>\n"
        + "    title = find_title(page)\n"
        + "ValueError: no <title> in <html> & <b>body</b>";
    for (Attempt a : worker.requestAttempts(AttemptRequest.of(2).withWorkSpecs("parse/html"))) {
      if (a.workUnit().key().equals(badKey)) {
        a.fail(Map.of("traceback", traceback));
      } else {
        a.finish(Map.of());
      }
    }
    String failureCss =
        "[data-failure][data-spec='parse/html'][data-key='" + badKey.toBase64Url() + "']";
    By failure = By.cssSelector(failureCss);
    waitFor("the failure of the bytes key", () -> !browser.findElements(failure).isEmpty());
    WebElement failed = browser.findElement(failure);
    assertThat(failed.findElement(By.cssSelector("[data-field=traceback]"))
        .getAttribute("textContent")).isEqualTo(traceback);
    assertThat(failed.findElements(By.cssSelector("module, title, html, b"))).isEmpty();
    assertThat(failed.findElement(By.cssSelector(".key")).getText()).isEqualTo("bytes _wCA");
    assertThat(count("parse/html", "failed")).isEqualTo(1);

    Path screenshot = Path.of("target", "dashboard.png");
    Files.createDirectories(screenshot.getParent());
    Files.write(screenshot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));

    // Without the token a change is refused, and the page says why.
    click(By.cssSelector("tr[data-spec=fetch] [data-action=pause]"));
    waitFor("the refusal", () -> message().contains("401"));
    assertThat(browser.findElement(By.id("message")).getAttribute("data-kind")).isEqualTo("error");
    assertThat(message()).contains("admin token");
    assertThat(fetch.meta(false).paused()).isFalse();

    // With it, Pause and Resume change the spec.
    browser.findElement(By.id("token")).sendKeys(TOKEN);
    click(By.id("token-save"));
    waitFor("the token kept", () -> browser.findElement(By.id("token-state")).getText()
        .contains("token set"));
    click(By.cssSelector("tr[data-spec=fetch] [data-action=pause]"));
    waitFor("fetch paused in the store", () -> fetch.meta(false).paused());
    waitFor("a Resume button", () -> state("fetch").equals("paused")
        && !specRow("fetch").findElements(By.cssSelector("[data-action=resume]")).isEmpty());
    click(By.cssSelector("tr[data-spec=fetch] [data-action=resume]"));
    waitFor("fetch running in the store", () -> !fetch.meta(false).paused());
    waitFor("fetch shown running", () -> state("fetch").equals("running"));

    // Retry makes the failed unit available again, and it leaves the failures.
    click(By.cssSelector(failureCss + " [data-action=retry]"));
    waitFor("the unit available in the store",
        () -> parse.workUnit(badKey).status() == WorkUnitStatus.AVAILABLE);
    waitFor("the failure gone", () -> browser.findElements(failure).isEmpty());
    waitFor("the counts after the retry", () -> count("parse/html", "failed") == 0
        && count("parse/html", "available") == 1);

    // While the daemon is away a banner says so; it goes when the daemon is back.
    daemon.admin().close();
    WebElement banner = browser.findElement(By.id("banner"));
    waitFor("the banner", () -> banner.isDisplayed() && banner.getText().contains("reach"));
    extraServers.add(new AdminServer(AdminServer.Settings.loopback(daemon.coordinate())
        .withAddress("127.0.0.1", port).withAdminToken(TOKEN)).start());
    waitFor("the banner gone", () -> !banner.isDisplayed());
    for (Attempt a : held) {
      a.finish(Map.of());
    }
    waitFor("7 finished after the outage", () -> count("fetch", "finished") == 7);

    // Another namespace, whose name needs the ~ escape and percent-encoding in paths.
    String team = "~team a/é";
    daemon.coordinate().namespace(team).setWorkSpec(Map.of("name", "tasks"))
        .addWorkUnits(List.of(NewWorkUnit.of("t1", Map.of())));
    waitFor("the namespace listed", () -> new Select(browser.findElement(By.id("namespace")))
        .getOptions().stream().anyMatch(o -> team.equals(o.getAttribute("value"))));
    new Select(browser.findElement(By.id("namespace"))).selectByValue(team);
    waitFor("the other namespace's spec", () -> count("tasks", "available") == 1);
    assertThat(browser.findElements(By.cssSelector("tr[data-spec=fetch]"))).isEmpty();
  }

  private WebElement specRow(String name) {
    return browser.findElement(By.cssSelector("tr[data-spec='" + name + "']"));
  }

  private long count(String spec, String status) {
    List<WebElement> rows = browser.findElements(By.cssSelector("tr[data-spec='" + spec + "']"));
    if (rows.isEmpty()) {
      return -1;
    }
    String value = rows.getFirst().findElement(By.cssSelector("[data-count=" + status + "]"))
        .getAttribute("data-value");
    return value == null || value.isEmpty() ? -1 : Long.parseLong(value);
  }

  private double rate(String spec) {
    String value = specRow(spec).findElement(By.cssSelector("[data-field=rate]"))
        .getAttribute("data-value");
    return value == null || value.isEmpty() ? 0 : Double.parseDouble(value);
  }

  private String state(String spec) {
    return text(specRow(spec), By.cssSelector("[data-field=state]"));
  }

  private String message() {
    WebElement message = browser.findElement(By.id("message"));
    return message.isDisplayed() ? message.getText() : "";
  }

  private static String text(WebElement in, By by) {
    return in.findElement(by).getText();
  }

  /** Clicks what {@code by} finds, finding it again if a refresh redrew it meanwhile. */
  private void click(By by) {
    waitFor("a click on " + by, () -> {
      browser.findElement(by).click();
      return true;
    });
  }

  /** Polls until the condition holds; the page redraws parts of itself as it refreshes. */
  private void waitFor(String what, BooleanSupplier condition) {
    new WebDriverWait(browser, WAIT, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "waiting for " + what)
        .until(d -> condition.getAsBoolean());
  }
}
